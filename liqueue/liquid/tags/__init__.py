"""The platform's tags, one module each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liqueue.liquid.tags.api_call import ApiCallTag
from liqueue.liquid.tags.background import BackgroundTag
from liqueue.liquid.tags.content_for import ContentForTag
from liqueue.liquid.tags.function import FunctionTag
from liqueue.liquid.tags.include_tag import PlatformIncludeTag
from liqueue.liquid.tags.log import LogTag
from liqueue.liquid.tags.raise_tag import RaiseTag
from liqueue.liquid.tags.redirect_to import RedirectToTag
from liqueue.liquid.tags.render_tag import PlatformRenderTag
from liqueue.liquid.tags.response_headers import ResponseHeadersTag
from liqueue.liquid.tags.response_status import ResponseStatusTag
from liqueue.liquid.tags.return_tag import ReturnTag
from liqueue.liquid.tags.trigger_event import TriggerEventTag
from liqueue.liquid.tags.try_tag import TryTag
from liqueue.liquid.tags.yield_tag import YieldTag

if TYPE_CHECKING:
    from liquid.tag import Tag

PLATFORM_TAGS: tuple[type[Tag], ...] = (
    ApiCallTag,
    BackgroundTag,
    FunctionTag,
    LogTag,
    PlatformIncludeTag,
    PlatformRenderTag,
    RaiseTag,
    ReturnTag,
    TriggerEventTag,
    TryTag,
    # What a page asks of its HTTP response.
    RedirectToTag,
    ResponseStatusTag,
    ResponseHeadersTag,
    ContentForTag,
    YieldTag,
)

__all__ = ["PLATFORM_TAGS"]
