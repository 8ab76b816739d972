"""Parsed templates turned into Python closures, once per template.

python-liquid renders by walking its tree: each node's `render` checks for
disabled tags and calls `render_to_output`, each expression's `evaluate`
walks its own parts, and each filter is looked up by name (with two
attribute probes) on every call. A job's body renders the same cached
template thousands of times, so that walking is most of its cost.

`compile_nodes` turns a template's nodes into closures doing what the nodes
do, in the same order, with the same errors; the node types and expressions
it does not know (and any subclass overriding what it knows) stay python-
liquid's own `render` / `evaluate`, called from the closure.
"""

from liqueue.liquid.compiler.nodes import compile_nodes

__all__ = ["compile_nodes"]
