"""FL0xx: the file and its YAML, reported by :mod:`feedlint.parsing` and the engine."""

from __future__ import annotations

from feedlint.diagnostics import Severity
from feedlint.rules._base import Rule, RuleModule

_VALID = '---\ntitle: "A headline"\n---\n'

#: Each code by its own name, for the modules that raise it.
FL001 = "FL001"
FL002 = "FL002"
FL003 = "FL003"
FL004 = "FL004"
FL005 = "FL005"
FL006 = "FL006"
FL007 = "FL007"
FL008 = "FL008"
FL009 = "FL009"
FL010 = "FL010"
FL011 = "FL011"
FL012 = "FL012"
FL013 = "FL013"
FL014 = "FL014"
FL015 = "FL015"
FL016 = "FL016"

#: Where the rules' ground comes from (``Rule.references``).
_YAML = "YAML 1.2.2 specification <https://yaml.org/spec/1.2.2/>"
_YAML_11_BOOL = "YAML 1.1, the boolean type <https://yaml.org/type/bool.html>"
_FRONT_MATTER = "Jekyll, Front Matter <https://jekyllrb.com/docs/front-matter/>"
_UTF8 = "RFC 3629, UTF-8 <https://www.rfc-editor.org/rfc/rfc3629>"
_BILLION_LAUGHS = "Billion laughs attack <https://en.wikipedia.org/wiki/Billion_laughs_attack>"

RULES = (
    Rule(
        code=FL001,
        name="no-front-matter",
        summary="The file does not start with a front matter block on line 1",
        what="An article file must open, on line 1, with a line `---`, its YAML fields, and "
        "a closing `---`. This file starts with something else: a body with no front "
        "matter at all, or blank lines above the front matter. A front matter below 1 to "
        "5 lines of white space, holding at least one line that starts with an article "
        "field (such as `title:`), is reported at its opening `---` with the number of "
        "blank lines to remove, and is linted where it stands, so every other problem "
        "in it shows too. Found in a folder, such a file is linted like any article; a "
        "Markdown file that only uses `---` as a rule is not. (In the example below, line 1 "
        "is blank.)",
        why="Without front matter there is no title, URL or date to publish: the feed "
        "drops the file or shows it empty. Site generators read front matter only on "
        "line 1: below a blank line it is shown as text and the article has no fields.",
        example='\n---\ntitle: "A headline"\n---\nThe body.\n',
        fixed='---\ntitle: "A headline"\n---\nThe body.\n',
        fix="Removes the blank lines above the front matter, so that its opening `---` is "
        "on line 1; a byte order mark, the line endings and the rest of the file are kept "
        "byte for byte. A file with no front matter at all is not fixed.",
        references=(_FRONT_MATTER,),
    ),
    Rule(
        code=FL002,
        name="unclosed-front-matter",
        summary="The front matter has no closing `---` line",
        what="The opening `---` is there but no line `---` ends the front matter.",
        why="Everything after the opening fence, body included, would be read as YAML.",
        example='---\ntitle: "A headline"\n\nThe body.\n',
        fixed='---\ntitle: "A headline"\n---\n\nThe body.\n',
        references=(_FRONT_MATTER,),
    ),
    Rule(
        code=FL003,
        name="invalid-yaml",
        summary="The front matter is not valid YAML",
        what="The YAML parser could not read the front matter. The usual ways an edit "
        "breaks it are named in plain words, at the character that caused it, with the "
        "line as it should be written: a tab in the indentation; an unquoted `: ` in a "
        "value (quote the value; a `#` followed by a word, such as `#2`, stays in the "
        "quoted value, a trailing `  # comment` stays a comment), or an unquoted ` #` "
        "inside a one-line `{...}` or `[...]` (it hides the closing bracket); a quote "
        "never closed on its line; a `\"` inside a double-quoted value or a `'` inside "
        "a single-quoted one; a value starting with `@`, a backquote, `%`, `&` or `*` "
        "(`*word` where no anchor `&word` is defined is text to the person who wrote it "
        "and an undefined alias to YAML: it is reported here, with the value quoted; an "
        "alias of a defined anchor is FL006); a list item without a space after `-`; a "
        "key indented more than the key above it (read as more of that key's value) or "
        "between two levels; a key without its `:`. Only when libyaml's error, its "
        "position and the line agree exactly with one of these; any other error keeps "
        "libyaml's words after `invalid YAML:`, with the position where it stopped.",
        why="A loader that cannot parse the front matter cannot publish the article.",
        example='---\ntitle: "A headline"\nexcerpt: Cargo backlogs: expected to clear\n---\n',
        fixed='---\ntitle: "A headline"\nexcerpt: "Cargo backlogs: expected to clear"\n---\n',
        references=(_YAML,),
    ),
    Rule(
        code=FL004,
        name="front-matter-not-mapping",
        summary="The front matter is not a mapping of fields",
        what="The front matter parses, but as a list, a single value or nothing, instead "
        "of `field: value` lines.",
        why="An article is a set of named fields; a list or a bare value has none.",
        example="---\n- title\n- webUrl\n---\n",
        fixed=_VALID,
        references=(_YAML,),
    ),
    Rule(
        code=FL005,
        name="duplicate-key",
        summary="The same key appears twice in one mapping",
        what="A key is set twice in the same mapping. Loaders keep the last value and "
        "silently drop the first.",
        why="Which of the two values is meant is a guess; often the first is the "
        "corrected one and the stale one wins.",
        example='---\ntitle: "Old headline"\ntitle: "New headline"\n---\n',
        fixed='---\ntitle: "New headline"\n---\n',
        references=(_YAML,),
    ),
    Rule(
        code=FL006,
        name="anchor-or-alias",
        summary="YAML anchors and aliases are refused",
        what="The front matter uses a YAML anchor (`&name`) or an alias (`*name`) of an "
        "anchor defined before it. An anchor no alias uses, at the start of a plain "
        "value, may be text (`&Co announce...`): the message shows the value quoted. A "
        "`*name` with no anchor `&name` is text to its writer and invalid YAML: FL003.",
        why="Articles are plain data; aliases let a few lines expand into gigabytes "
        "(an alias bomb), so feedlint refuses them before building anything.",
        example="---\nwebUrl: &u https://example.com/a\noriginalUrl: *u\n---\n",
        fixed="---\nwebUrl: https://example.com/a\noriginalUrl: https://example.com/a\n---\n",
        references=(_YAML, _BILLION_LAUGHS),
    ),
    Rule(
        code=FL007,
        name="invalid-utf8",
        summary="The file is not valid UTF-8",
        what="A byte sequence in the file is not UTF-8, often a file saved as Latin-1 "
        "or Windows-1252 (the first bad byte is pointed at), or the whole file is "
        "UTF-16 or UTF-32.",
        why="Readers would see mangled characters, and a strict loader refuses the file.",
        example="---\ntitle: caf\\xe9 (Latin-1 byte)\n---\n",
        fixed='---\ntitle: "café"\n---\n',
        illustrative=True,
        references=(_UTF8,),
    ),
    Rule(
        code=FL008,
        name="binary-file",
        summary="The file is binary, not text",
        what="The file holds a NUL byte, so it is not a text article (an image or an "
        "archive saved under an article's name); the message says where the first one is.",
        why="It cannot be published as an article.",
        example="\\x89PNG\\r\\n\\x1a\\n\\x00\\x00...",
        fixed=_VALID,
        illustrative=True,
    ),
    Rule(
        code=FL009,
        name="empty-file",
        summary="The file is empty",
        what="The file is empty or holds only white space.",
        why="An empty article is usually a failed export or a truncated write.",
        example="",
        fixed=_VALID,
    ),
    Rule(
        code=FL010,
        name="file-too-large",
        summary="The file is larger than the size limit",
        what="The file is over the size limit (5 MiB by default) and is not parsed.",
        why="An article is a few kilobytes; a huge file is a mistake, and parsing it "
        "would cost time and memory in every run.",
        example="(a 6 MiB file)",
        fixed="(the article alone, a few kilobytes)",
        illustrative=True,
    ),
    Rule(
        code=FL011,
        name="ambiguous-boolean",
        summary="An unquoted yes/no/on/off is a boolean to some loaders and text to others",
        what="A plain `yes`, `no`, `on`, `off` (any case) or `True`-style spelling: YAML "
        "1.1 loaders read a boolean, YAML 1.2 loaders a string.",
        why="The same file means different things to different tools. `true` and "
        "`false` mean one thing everywhere.",
        example="---\npublished: yes\n---\n",
        fixed="---\npublished: true\n---\n",
        severity=Severity.WARNING,
        references=(_YAML_11_BOOL, _YAML),
    ),
    Rule(
        code=FL012,
        name="unsupported-tag",
        summary="A YAML tag such as !!python/object or !!binary",
        what="A value carries an explicit YAML tag other than the plain types, or a "
        "plain type's tag that does not fit its value (`!!int abc`).",
        why="Tags ask a loader to build objects, run constructors or decode data; an "
        "article is plain text, numbers and lists. feedlint never builds tagged "
        "objects and reads the value as plain data.",
        example="---\ntitle: !!python/object:os.system echo\n---\n",
        fixed='---\ntitle: "echo"\n---\n',
        references=(_YAML,),
    ),
    Rule(
        code=FL013,
        name="unreadable-file",
        summary="The file cannot be read",
        what="The file could not be opened or read: no permission, a broken or looping "
        "symbolic link, a folder where a file was expected, a FIFO or device found in a "
        "folder, a folder that cannot be listed, or it vanished during the run. A symbolic "
        "link found in a folder that leads out of it is not read either.",
        why="A file nobody can read is a file nobody checked. A link out of the folder "
        "could make the report show another file's contents (secrets on a CI machine).",
        example="(a file with mode 000)",
        fixed="(the same file, readable)",
        illustrative=True,
    ),
    Rule(
        code=FL014,
        name="invalid-key",
        summary="A key is a list or mapping instead of a name",
        what="YAML allows complex keys (`? [a, b]`); article fields are plain names.",
        why="No consumer of the article can look such a field up.",
        example="---\n? [title, name]\n: A headline\n---\n",
        fixed='---\ntitle: "A headline"\n---\n',
        references=(_YAML,),
    ),
    Rule(
        code=FL015,
        name="nesting-too-deep",
        summary="The front matter nests far deeper than an article can",
        what="Lists and mappings nest more than 64 levels deep.",
        why="An article is about six levels deep; thousands of levels are an attack on "
        "the parser, refused before it recurses.",
        example="---\ntitle: [[[[[[[[ ... 10,000 levels ... ]]]]]]]]\n---\n",
        fixed=_VALID,
        illustrative=True,
    ),
    Rule(
        code=FL016,
        name="front-matter-too-large",
        summary="The front matter holds far more values than an article can",
        what="The front matter holds more than 20,000 values (scalars, lists and mappings "
        "counted together); it is not checked further.",
        why="An article holds a few hundred values; hundreds of thousands are a broken "
        "export or an attack on the linter's time and memory, refused before they are "
        "built.",
        example="---\ntopics: [a, a, a, a, ... 20,001 times ...]\n---\n",
        fixed=_VALID,
        illustrative=True,
    ),
)

MODULE = RuleModule(name="file", rules=RULES)
