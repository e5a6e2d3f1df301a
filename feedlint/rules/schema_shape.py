"""FL1xx: what the JSON Schema rejects, reported by :mod:`feedlint.schema`."""

from __future__ import annotations

from feedlint.rules._base import Rule, RuleModule

#: Each code by its own name, for the modules that raise it.
FL100 = "FL100"
FL101 = "FL101"
FL102 = "FL102"
FL103 = "FL103"
FL104 = "FL104"
FL105 = "FL105"
FL106 = "FL106"

#: Where the rules' ground comes from (``Rule.references``).
_JSON_SCHEMA = (
    "JSON Schema 2020-12, Validation <https://json-schema.org/draft/2020-12/json-schema-validation>"
)

RULES = (
    Rule(
        code=FL100,
        name="schema-violation",
        summary="The schema rejects a value (a keyword feedlint has no wording for)",
        what="A keyword of a custom schema (`--schema`) that the other FL1xx codes do "
        "not cover rejected a value; the message is the validator's.",
        why="Your schema says so.",
        example="(depends on the schema)",
        fixed="(depends on the schema)",
        illustrative=True,
        references=(_JSON_SCHEMA,),
    ),
    Rule(
        code=FL101,
        name="missing-field",
        summary="A required field is missing",
        what="A field the schema requires is absent: `title`, `publishedDateTime`, "
        "`webUrl` and `provider` for an article; `title`, `webUrl` and `provider` for a "
        "related item; `url`, `width` and `height` for an image; `cdnAmpWebUrl` with "
        "`ampWebUrl` and the other way round. It is reported on the line of the "
        "mapping that lacks it.",
        why="Without these the article cannot be listed, linked or attributed.",
        example="provider:\n  name: Example News\n",
        fixed="provider:\n  name: Example News\n  domain: example.com\n",
        references=(_JSON_SCHEMA,),
    ),
    Rule(
        code=FL102,
        name="wrong-type",
        summary="A value has the wrong type",
        what="A value is of another type than the schema says: a quoted number, a "
        'string for a list, `"yes"` for a boolean.',
        why="Consumers of the feed read the field as its type and fail or misread it.",
        example="images:\n  - url: https://example.com/a.jpg\n    width: \"800\"\n"
        "    height: 600\n",
        fixed="images:\n  - url: https://example.com/a.jpg\n    width: 800\n    height: 600\n",
        references=(_JSON_SCHEMA,),
    ),
    Rule(
        code=FL103,
        name="unknown-field",
        summary="A field the schema does not know, often a typo",
        what="A key that is not in the schema, at any level. When a known field is "
        "close, the message suggests it.",
        why="A typo'd key is silently ignored by every consumer: `pubishedDateTime` "
        "leaves the article without a date.",
        example="pubishedDateTime: 2023-08-07T08:11:00Z\n",
        fixed="publishedDateTime: 2023-08-07T08:11:00Z\n",
        references=(_JSON_SCHEMA,),
    ),
    Rule(
        code=FL104,
        name="empty-value",
        summary="A value that must not be empty is empty",
        what="An empty or blank string where text is required (a title, a provider name).",
        why="An empty headline is shown as a blank line in the feed.",
        example='title: ""\n',
        fixed='title: "A headline"\n',
        references=(_JSON_SCHEMA,),
    ),
    Rule(
        code=FL105,
        name="out-of-range",
        summary="A number is outside its allowed range",
        what="`quality` outside 0-100, a width or height below 1, `heat` below -1.",
        why="Scores and sizes outside their range break sorting and layout.",
        example="quality: 150\n",
        fixed="quality: 100\n",
        references=(_JSON_SCHEMA,),
    ),
    Rule(
        code=FL106,
        name="malformed-value",
        summary="A value does not have the required form",
        what="A URL that is not an absolute http(s) URL, a date that is not a date and "
        "time, a domain that is not a domain name, a category that is not a lowercase "
        "word.",
        why="These fields are read by machines that expect exactly this form.",
        example="webUrl: example.com/a\n",
        fixed="webUrl: https://example.com/a\n",
        references=(_JSON_SCHEMA,),
    ),
)

MODULE = RuleModule(name="schema", rules=RULES)
