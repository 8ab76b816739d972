"""Check rules over python-liquid's static analysis: filters, numbers, job variables."""

from __future__ import annotations

from liqueue.liquid import Problem

from .liquid_apps import AppDir


def _found(problems: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.location.line, p.location.column, p.severity, p.message) for p in problems]


def test_unknown_filters_are_errors_in_pages_and_in_bodies(app: AppDir) -> None:
    app.page(
        "index",
        "{{ 'a' | upcase | shout }}\n"
        "{% background source_name: 'emails_send' %}\n  {{ 'b' | whisper }}\n{% endbackground %}",
    )
    found = _found(app.runtime().check())
    assert found == [
        (1, 19, "error", "unknown filter 'shout'"),
        (3, 12, "error", "unknown filter 'whisper'"),
    ]


def test_a_missing_partial_inside_a_body_is_an_error(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'emails_send', u: 1 %}\n  {% include 'gone', u: u %}\n"
        "{% endbackground %}",
    )
    [(line, _, severity, message)] = _found(app.runtime().check())
    assert (line, severity) == (2, "error") and "partial 'gone' not found" in message


def test_numbers_liquid_reads_as_variables_are_errors(app: AppDir) -> None:
    app.page(
        "index",
        "{% background delay: 1e3, max_attempts: 3e0, source_name: 'emails_send' %}"
        "{% endbackground %}",
    )
    found = _found(app.runtime().check())
    assert [(line, column, severity) for line, column, severity, _ in found] == [
        (1, 22, "error"),
        (1, 41, "error"),
    ]
    assert "`1e3` is not a number in Liquid" in found[0][3]


def test_a_body_reading_what_it_was_not_passed_is_warned(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'emails_order_confirm', user_id: user.id %}\n"
        "  {% assign n = 1 %}{{ n }}{{ user_id }}{{ job.attempt }}{{ context.location.path }}\n"
        "  {% include 'mail', order_id: order.id %}\n"
        "{% endbackground %}",
    )
    app.partial("mail", "")
    found = _found(app.runtime().check())
    assert found == [
        (
            3,
            32,
            "warning",
            "`order` is not passed to this job: it will be nil here (pass `order_id: order.id`)",
        )
    ]


def test_a_body_reading_job_inside_a_loop_over_jobs_is_warned_by_name(app: AppDir) -> None:
    app.page(
        "index",
        "{% for job in jobs %}\n"
        "  {% background source_name: 'processors_critical' %}\n"
        "    {% include 'p', job_id: job.id %}\n"
        "  {% endbackground %}\n"
        "{% endfor %}",
    )
    app.partial("p", "")
    [(line, column, severity, message)] = _found(app.runtime().check())
    assert (line, column, severity) == (3, 29, "warning")
    assert message.startswith("`job` inside this body is the running job, not the loop variable")


def test_a_consumer_reading_anything_but_event_context_and_job_is_warned(app: AppDir) -> None:
    app.write(
        "app/lib/consumers/order.created/mail.liquid",
        "{% log event.order_id %}{{ job.id }}{{ context.location }}{{ order.id }}",
    )
    [(line, column, severity, message)] = _found(app.runtime().check())
    assert (line, column, severity) == (1, 62, "warning")
    assert message.startswith("`order` is not passed to this consumer")
