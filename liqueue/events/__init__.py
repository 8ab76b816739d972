"""Events: the `Event` record, consumers discovery, validation and fan-out.

Kept empty on purpose: `liqueue.events.event` is vocabulary that the liquid
tags import, and loading fan-out from here would pull rooms in with it.
"""
