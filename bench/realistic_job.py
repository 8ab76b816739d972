"""The realistic job of bench/realistic.py: its ~1 KB JSON arguments, its Liquid
body and partial, and its Python twin (shared by the huey and pgqueuer peers).

The Liquid job: `{% background %}` with the order as its arguments; the body
includes a partial doing 4 assigns, a 20-item for loop and one `{% log %}`.
The Python twin: `json.loads` of the same JSON text, the same 20-item loop,
one logging call (to a file handler, so the call does write).
"""

from __future__ import annotations

import json
import logging
from typing import Any

ITEMS = 20


def order(n: int = 0) -> dict[str, Any]:
    """The job's arguments: about 1 KB once encoded as JSON."""
    return {
        "id": 100_000 + n,
        "currency": "EUR",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "tier": "gold"},
        "items": [{"sku": f"SKU-{i:04d}", "qty": 1 + i % 3, "price": 10 + i} for i in range(ITEMS)],
    }


PAYLOAD = json.dumps(order())

PARTIAL = """\
{% assign customer = order.customer.name | upcase %}
{% assign currency = order.currency | default: 'USD' %}
{% assign first_sku = order.items.first.sku %}
{% assign total = 0 %}
{% for item in order.items %}{% assign total = total | plus: item.price %}{% endfor %}
{% log total, type: 'realistic' %}
"""

BODY = "{% include 'realistic_work' %}"


def enqueue_page(jobs: int) -> str:
    """A page queueing `jobs` realistic jobs, the order coming from `params.order`."""
    return (
        f"{{% for i in (1..{jobs}) %}}"
        f"{{% background source_name: 'realistic', order: params.order %}}{BODY}"
        "{% endbackground %}{% endfor %}"
    )


def app_pages(jobs: int) -> tuple[dict[str, str], dict[str, str]]:
    """(pages, partials) of the liqueue application."""
    return {"enqueue": enqueue_page(jobs)}, {"realistic_work": PARTIAL}


logger = logging.getLogger("bench.realistic")


def configure_logging(path: str) -> None:
    handler = logging.FileHandler(path, delay=True)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def python_twin(payload: str | bytes) -> int:
    """The Python job: decode the JSON, the same loop, one logging call."""
    data = json.loads(payload)
    customer = data["customer"]["name"].upper()
    currency = data.get("currency") or "USD"
    first_sku = data["items"][0]["sku"]
    total = 0
    for item in data["items"]:
        total += item["price"]
    logger.info("%s %s %s %s", total, customer, currency, first_sku)
    return total
