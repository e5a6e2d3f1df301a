"""A deterministic, varied corpus of valid, clean article files for the benchmarks.

``generate(folder, count)`` writes ``count`` articles (the same bytes for the same
count and seed, on any machine): providers on hyphenated, multi-level and
punycode hosts, related coverage published after the article, images whose URLs
carry size hints that agree with their declared size (``resize=``, ``fit=``,
``w=``, ``-WxH`` file names), AMP pairs whose ``cdnAmpWebUrl`` is the exact
Google AMP Cache URL of ``ampWebUrl``, and well-formed ``secured`` tokens. Every
article is valid by ``schemas/article.schema.json`` and lints clean (a test
checks both), so a benchmark measures the linting of an archive, not the
reporting of problems. The articles are about the size of the real sample
(``seeds/000_*.txt``: four related items, long excerpts): 3.5 KB of front matter
on average.

Files go into feed folders of 500 (``feed-000/0000_<16 hex>.md``), numbered
newest first, as an aggregator's export is. ``write_bare_yaml`` writes the same
front matter as bare YAML files, which is what a JSON Schema validator such as
check-jsonschema can read.
"""

from __future__ import annotations

import base64
import json
import os
import random
from datetime import UTC, datetime, timedelta

from feedlint.ampcache import cache_url

#: (display name, provider.domain, the host its URLs use, has AMP pages)
PROVIDERS = (
    ("TechCrunch", "techcrunch.com", "techcrunch.com", True),
    ("Wall Street Journal", "wsj.com", "www.wsj.com", False),
    ("BBC News", "bbc.co.uk", "www.bbc.co.uk", True),
    ("Example Press", "example-press.co.uk", "news.example-press.co.uk", True),
    ("Communications of the ACM", "acm.org", "cacm.acm.org", False),
    ("TechNode", "technode.com", "technode.com", False),
    ("Tech Story", "techstory.in", "techstory.in", False),
    ("Space Weekly", "spaceweekly.example.com", "www.spaceweekly.example.com", True),
    ("Harbour Times", "harbourtimes.example.net", "www.harbourtimes.example.net", False),
    ("Bücherwelt", "xn--bcher-kva.ch", "news.xn--bcher-kva.ch", True),
    ("Le Quotidien", "lequotidien.example.fr", "www.lequotidien.example.fr", True),
    ("Nordic Wire", "nordic-wire.example.org", "nordic-wire.example.org", False),
)
CATEGORIES = ("news", "tech", "business", "science", "world", "culture")
TOPICS = (
    "AI", "Computer Vision", "Privacy", "Regulation", "Semiconductors", "Energy",
    "Climate", "Shipping", "Labour", "Astronomy", "Exoplanets", "Markets", "Elections",
    "Health", "Open Source", "Security",
)
WORDS = (
    "regulators", "draft", "rules", "facial", "recognition", "port", "strike", "unions",
    "telescope", "water", "vapour", "rocky", "planet", "chip", "exports", "battery",
    "factory", "court", "ruling", "privacy", "data", "breach", "election", "results",
    "storm", "coast", "energy", "prices", "startup", "funding", "open", "source",
    "model", "release", "vaccine", "trial", "rail", "network", "budget", "talks",
)
#: Offsets used in dates (RFC 3339 with a zone, as the rules require).
OFFSETS = ("Z", "Z", "Z", "+02:00", "+01:00", "-05:00", "+05:30", "+09:00")


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _date(moment: datetime, offset: str) -> str:
    if offset == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    local = moment + sign * timedelta(hours=hours, minutes=minutes)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + offset


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, low: int, high: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high))]

    def title(self) -> str:
        words = self.words(5, 11)
        text = " ".join(words).capitalize()
        if self.rng.random() < 0.3:
            text = f"“{text}”, officials say"
        return text

    def excerpt(self) -> str:
        return (" ".join(self.words(22, 48)) + ".").capitalize()

    def slug(self, index: int) -> str:
        return "-".join(self.words(3, 7)) + f"-{index}"

    def image(self, host: str, date: datetime, slug: str) -> list[str]:
        rng = self.rng
        width = rng.choice((640, 800, 1024, 1200, 1280, 1600, 2048, 2560))
        height = rng.randint(width * 4 // 10, width * 8 // 10)
        stem = f"https://{host}/wp-content/uploads/{date:%Y/%m}/{slug}"
        form = rng.randrange(5)
        if form == 0:
            url = f"{stem}.jpg?resize={width},{height}"
        elif form == 1:
            url = f"https://i0.wp.com/{host}/wp-content/uploads/{date:%Y/%m}/{slug}-scaled.jpg" \
                  f"?fit={width}%2C{height}&ssl=1"
        elif form == 2:
            url = f"{stem}-{width}x{height}.jpg"
        elif form == 3:
            url = f"{stem}.jpg?w={width}"
        else:
            url = f"https://images.{host.split('.', 1)[-1] if host.count('.') > 1 else host}" \
                  f"/im-{rng.randrange(10**6)}/social"
        return [
            f"  - url: {_quote(url)}",
            f"    width: {width}",
            f"    height: {height}",
            f"    isCached: {'true' if rng.random() < 0.7 else 'false'}",
        ]

    def related(self, index: int, number: int, after: datetime, own_host: str) -> list[str]:
        rng = self.rng
        name, domain, host, amp = rng.choice([p for p in PROVIDERS if p[2] != own_host])
        moment = after + timedelta(minutes=rng.randint(30, 72 * 60))
        slug = self.slug(index * 10 + number)
        web = f"https://{host}/{moment:%Y/%m/%d}/{slug}/"
        lines = [
            f"  - title: {_quote(self.title())}",
        ]
        if rng.random() < 0.8:
            lines.append(f"    excerpt: {_quote(self.excerpt())}")
        lines.append(f"    publishedDateTime: {_date(moment, rng.choice(OFFSETS))}")
        lines.append(f"    webUrl: {_quote(web)}")
        if amp and rng.random() < 0.6:
            lines.append(f"    ampWebUrl: {_quote(web + 'amp/')}")
            lines.append(f"    cdnAmpWebUrl: {_quote(cache_url(web + 'amp/'))}")
        lines += [
            "    type: article",
            "    provider:",
            f"      name: {_quote(name)}",
            f"      domain: {domain}",
            f"    quality: {rng.randint(0, 100)}",
        ]
        if rng.random() < 0.8:
            lines.append("    images:")
            lines += ["    " + line for line in self.image(host, moment, slug)]
        return lines

    def article(self, index: int, moment: datetime) -> str:
        rng = self.rng
        name, domain, host, amp = rng.choice(PROVIDERS)
        slug = self.slug(index)
        web = f"https://{host}/{moment:%Y/%m/%d}/{slug}/"
        lines = ["---", f"category: {rng.choice(CATEGORIES)}", f"title: {_quote(self.title())}"]
        if rng.random() < 0.9:
            lines.append(f"excerpt: {_quote(self.excerpt())}")
        lines.append(f"publishedDateTime: {_date(moment, rng.choice(OFFSETS))}")
        if rng.random() < 0.8:
            lines.append(f"originalUrl: {_quote(web)}")
        lines.append(f"webUrl: {_quote(web)}")
        if amp and rng.random() < 0.5:
            lines.append(f"ampWebUrl: {_quote(web + 'amp/')}")
            lines.append(f"cdnAmpWebUrl: {_quote(cache_url(web + 'amp/'))}")
        lines += [
            "type: article",
            f"quality: {rng.randint(0, 100)}",
            f"heat: {rng.choice((-1, -1, rng.randint(0, 5000)))}",
            f"published: {'true' if rng.random() < 0.8 else 'false'}",
            "",
            "provider:",
            f"  name: {_quote(name)}",
            f"  domain: {domain}",
            "",
            "topics:",
        ]
        lines += [f"  - {topic}" for topic in rng.sample(TOPICS, rng.randint(1, 4))]
        images = rng.choice((0, 1, 1, 1, 2))
        if images:
            lines.append("")
            lines.append("images:")
            for number in range(images):
                lines += self.image(host, moment, f"{slug}-{number}")
        related = rng.choice((0, 1, 2, 3, 4, 4, 4, 5, 5, 6))
        lines.append("")
        if related:
            lines.append("related:")
            for number in range(related):
                lines += self.related(index, number, moment, host)
        else:
            lines.append("related: []")
        if rng.random() < 0.85:
            cipher = base64.b64encode(rng.randbytes(16 * rng.randint(1, 20))).decode("ascii")
            iv = base64.b64encode(rng.randbytes(16)).decode("ascii")
            lines.append(f'secured: "{cipher};{iv}"')
        lines.append("---")
        body = "\n\n".join(" ".join(self.words(20, 60)).capitalize() + "."
                           for _ in range(rng.randint(0, 3)))
        return "\n".join(lines) + "\n" + (f"\n{body}\n" if body else "\n")


def generate(folder: str, count: int, *, seed: int = 2023, per_feed: int = 500) -> list[str]:
    """Write ``count`` articles under ``folder``; their paths, in order."""
    writer = _Writer(seed)
    start = datetime(2023, 12, 31, 23, 0, tzinfo=UTC)
    paths = []
    moment = start
    for index in range(count):
        feed, number = divmod(index, per_feed)
        if number == 0:
            moment = start - timedelta(days=30 * feed)
            os.makedirs(os.path.join(folder, f"feed-{feed:03d}"), exist_ok=True)
        moment -= timedelta(minutes=writer.rng.randint(5, 600))
        ident = writer.rng.randbytes(8).hex()
        path = os.path.join(folder, f"feed-{feed:03d}", f"{number:04d}_{ident}.md")
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(writer.article(index, moment))
        paths.append(path)
    return paths


def front_matter(text: str) -> str:
    """The YAML between the fences of an article generated here."""
    return text.split("---\n", 2)[1]


def write_bare_yaml(paths: list[str], folder: str) -> list[str]:
    """The front matter of each article as a bare ``.yaml`` file in ``folder``."""
    os.makedirs(folder, exist_ok=True)
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = front_matter(handle.read())
        name = os.path.join(folder, os.path.basename(os.path.dirname(path)) + "-"
                            + os.path.splitext(os.path.basename(path))[0] + ".yaml")
        with open(name, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        out.append(name)
    return out
