"""The pages bench/serve.py measures (shared with its plain-Starlette baseline)."""

PLAIN_PAGE = "<h1>Hello</h1>\n<p>A page with no tags, {{ params.name | default: 'world' }}.</p>\n"

ONE_JOB_PAGE = (
    "<h1>Hello</h1>\n"
    "{% background source_name: 'bench_one', n: 1 %}"
    "{% assign x = n | plus: 1 %}{% endbackground %}\n"
    "<p>One job queued.</p>\n"
)

ORDER_PAGE = (
    "---\nslug: orders\nmethod: post\n---\n"
    "{% background source_name: 'bench_charge', id: params.id %}"
    "{% assign x = id %}{% endbackground %}\n"
    "{% background source_name: 'bench_email', id: params.id %}"
    "{% assign x = id %}{% endbackground %}\n"
    "{% background source_name: 'bench_stock', id: params.id %}"
    "{% assign x = id %}{% endbackground %}\n"
    "{% trigger_event 'order.placed', order_id: params.id %}\n"
    "{% response_status 201 %}created\n"
)

CONSUMER = "{% assign x = event.order_id %}"
