"""Liquid for liqueue: the application's environment, platform tags and runtime."""

from liqueue.liquid.problems import Problem
from liqueue.liquid.runtime import RenderResult, Runtime

__all__ = ["Problem", "RenderResult", "Runtime"]
