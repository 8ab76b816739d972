"""Send one rendered API call with httpx (a sync client) and read its response, within limits.

Limits: the call's timeout covers the whole exchange (redirects and reading
the body included); at most `max_redirects` redirects, each hop checked by
the host policy; at most `max_response_bytes` of body. Proxies from the
environment are ignored: they would connect to hosts the policy never saw.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from liqueue.api_calls import fakes
from liqueue.api_calls.messages import ApiRequest, ApiResponse
from liqueue.api_calls.safety import HostPolicy, HostRefused, HostUnresolved
from liqueue.api_calls.settings import HttpSettings

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_REDIRECTS = {301, 302, 303, 307, 308}


class ApiCallError(Exception):
    """The call got no usable response: timeout, connection error, refused host, too big."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiCaller:
    """Sends API calls for one application. Thread-safe: job threads share it."""

    def __init__(self, settings: HttpSettings) -> None:
        self.settings = settings
        self.policy = HostPolicy(settings.allow, settings.deny)
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(follow_redirects=False, trust_env=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def send(self, request: ApiRequest) -> ApiResponse:
        faked = fakes.answer(request)
        if faked is not None:
            return faked
        shown = f"{request.method} {request.url}"
        try:
            url = httpx.URL(request.url)
        except (httpx.InvalidURL, TypeError) as err:
            raise ApiCallError(f"{shown}: invalid URL: {err}") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ApiCallError(f"{shown}: the URL must be http:// or https:// with a host")
        deadline = time.monotonic() + request.timeout
        method, headers, body = request.method, dict(request.headers), request.body
        for _hop in range(self.settings.max_redirects + 1):
            response, location = self._exchange(method, url, headers, body, deadline, request)
            if location is None:
                return response
            following = url.join(location)
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                method, body = "GET", ""
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            if following.host != url.host:
                # Credentials meant for one host are not handed to the next.
                headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            url = following
        raise ApiCallError(
            f"{shown} was redirected more than {self.settings.max_redirects} times "
            "(http.max_redirects)"
        )

    def _exchange(
        self,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        body: str,
        deadline: float,
        request: ApiRequest,
    ) -> tuple[ApiResponse, str | None]:
        shown = f"{method} {url}"
        timed_out = ApiCallError(f"{shown} timed out after {request.timeout:g} s")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            address = self.policy.check(url.host, port)
        except HostRefused as err:
            raise ApiCallError(f"{shown} refused: {err}") from None
        except HostUnresolved as err:
            raise ApiCallError(f"{shown} failed: {err}") from None
        pinned = url.copy_with(host=address)
        sent_headers = {"Host": url.netloc.decode("ascii"), **headers}
        extensions: dict[str, Any] = {}
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise timed_out
        limit = self.settings.max_response_bytes
        try:
            with self.client.stream(
                method,
                pinned,
                headers=sent_headers,
                content=body.encode("utf-8") if body else None,
                timeout=httpx.Timeout(remaining),
                extensions=extensions,
            ) as streamed:
                location = streamed.headers.get("location")
                if streamed.status_code in _REDIRECTS and location:
                    return ApiResponse(streamed.status_code), location
                chunks: list[bytes] = []
                size = 0
                for chunk in streamed.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ApiCallError(
                            f"{shown}: the response is larger than {limit} bytes "
                            "(http.max_response_bytes)"
                        )
                    if time.monotonic() > deadline:
                        raise timed_out
                    chunks.append(chunk)
                content = b"".join(chunks)
                names = {k.lower() for k in streamed.headers}
                received = {name: ", ".join(streamed.headers.get_list(name)) for name in names}
                text = content.decode(streamed.encoding or "utf-8", errors="replace")
                return ApiResponse(streamed.status_code, text, received), None
        except httpx.TimeoutException:
            raise timed_out from None
        except httpx.HTTPError as err:
            reason = str(err) or type(err).__name__
            raise ApiCallError(f"{shown} failed: {reason}") from None
