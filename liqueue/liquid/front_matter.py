"""YAML front matter: `---` lines at the very start of a template.

The front matter is replaced by as many blank lines as it occupied, so every
line and column python-liquid reports is the line and column in the file.
"""

from __future__ import annotations

from typing import Any

import yaml

from liqueue.errors import Location, TemplateError
from liqueue.yamltext import YamlRefused, load_yaml


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, template text with the front matter blanked out)."""
    # Only '\n' ends a line, as for python-liquid's positions: splitlines()
    # would also split at U+2028, form feeds and the like, and shift every line.
    lines = text.split("\n")
    if lines[0].rstrip("\r") != "---":
        return {}, text
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") == "---":
            yaml_text = "".join(line + "\n" for line in lines[1:index])
            rest = "\n".join(lines[index + 1 :])
            # A closing `---` on the last line without a newline still ends a line.
            blank = ("\r\n" if lines[0].endswith("\r") else "\n") * (index + 1)
            return _parse_yaml(yaml_text, path), blank + rest
    raise TemplateError(
        "front matter opened here is never closed (expected a '---' line)", Location(path, 1, 1)
    )


def _parse_yaml(yaml_text: str, path: str) -> dict[str, Any]:
    try:
        data, _ = load_yaml(yaml_text)
    except YamlRefused as err:
        raise TemplateError(
            f"invalid YAML front matter: {err.message}", Location(path, err.line + 1, 1)
        ) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        # The YAML starts on the file's second line, after the opening `---`.
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else 1
        problem = err.problem or err.context or "cannot be parsed"
        raise TemplateError(
            f"invalid YAML front matter: {problem}", Location(path, line, column)
        ) from err
    except yaml.YAMLError as err:
        raise TemplateError(f"invalid YAML front matter: {err}", Location(path, 2)) from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(
            f"front matter must be a mapping of keys to values, got {type(data).__name__}",
            Location(path, 2, 1),
        )
    return data
