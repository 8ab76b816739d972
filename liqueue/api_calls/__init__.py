"""API calls: definitions in `app/api_calls/`, the rules of what may be reached, and sending.

Nothing here imports `liqueue.liquid`: the `api_call` tag renders a
definition's Liquid and hands the rendered request to `ApiCaller.send`.
"""
