"""
A small, safe Markdown-to-HTML converter for the merchant's guide (``docs/pl``).

No Markdown library is a dependency of the project, and the guide needs only a subset: headings,
paragraphs, bullet and numbered lists, tables, block quotes, fenced code, ``**bold**``,
``*italic*``, ``` `code` ```, links and images. Every piece of text is HTML-escaped before any
tag is added, so the source cannot inject markup; the result is still passed through nh3 with an
allow-list, as a second guard. Link and image targets go through ``resolve_link`` /
``resolve_image`` (the view turns ``other-page.md`` and ``img/x.png`` into back-office URLs) and
anything that is not http(s), a relative path or an anchor is dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

Resolver = Callable[[str], str]

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote", "hr", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "h2": {"id"}, "h3": {"id"}}

_HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_SAFE_TARGET = re.compile(r"^(https?://|#|[A-Za-z0-9_./-]+(#[A-Za-z0-9_-]*)?$)")


def slug(text: str) -> str:
    """A heading's anchor: lower case, Polish letters folded, words joined by hyphens."""
    folded = text.lower().translate(str.maketrans("ąćęłńóśźż", "acelnoszz"))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _identity(target: str) -> str:
    return target


def _safe(target: str, resolve: Resolver) -> str:
    target = target.strip()
    if not _SAFE_TARGET.match(target) or ".." in target:
        return ""
    return resolve(target)


def inline(
    text: str, *, resolve_link: Resolver = _identity, resolve_image: Resolver = _identity
) -> str:
    """One line of inline Markdown to HTML (escaped first, then marked up)."""
    codes: list[str] = []

    def stash_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{html.escape(match[1], quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = re.sub(r"`([^`]+)`", stash_code, text)
    text = html.escape(text, quote=False)

    def image(match: re.Match[str]) -> str:
        src = _safe(html.unescape(match[2]), resolve_image)
        alt = html.escape(html.unescape(match[1]))
        return f'<img src="{html.escape(src)}" alt="{alt}">' if src else alt

    def link(match: re.Match[str]) -> str:
        href = _safe(html.unescape(match[2]), resolve_link)
        return f'<a href="{html.escape(href)}">{match[1]}</a>' if href else match[1]

    text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", image, text)
    text = re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", link, text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m[1])], text)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def render(
    source: str, *, resolve_link: Resolver = _identity, resolve_image: Resolver = _identity
) -> str:
    """A whole Markdown document to sanitised HTML."""

    def span(text: str) -> str:
        return inline(text, resolve_link=resolve_link, resolve_image=resolve_image)

    out: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _COMMENT.match(line):
            i += 1  # blank lines and notes for the docs' editors (one-line HTML comments)
        elif line.startswith("```"):
            i += 1
            code: list[str] = []
            while i < len(lines) and not lines[i].startswith("```"):
                code.append(lines[i])
                i += 1
            i += 1
            out.append(f"<pre><code>{html.escape(chr(10).join(code), quote=False)}</code></pre>")
        elif heading := _HEADING.match(line):
            level = len(heading[1])
            anchor = f' id="{slug(heading[2])}"' if level in (2, 3) else ""
            out.append(f"<h{level}{anchor}>{span(heading[2])}</h{level}>")
            i += 1
        elif line.strip() in {"---", "***"}:
            out.append("<hr>")
            i += 1
        elif line.lstrip().startswith(">"):
            quoted: list[str] = []
            while i < len(lines) and lines[i].lstrip().startswith(">"):
                quoted.append(lines[i].lstrip()[1:].strip())
                i += 1
            inner = render(
                "\n".join(quoted), resolve_link=resolve_link, resolve_image=resolve_image
            )
            out.append(f"<blockquote>{inner}</blockquote>")
        elif "|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            head = "".join(f"<th>{span(c)}</th>" for c in _cells(line))
            i += 2
            body: list[str] = []
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                cells = "".join(f"<td>{span(c)}</td>" for c in _cells(lines[i]))
                body.append(f"<tr>{cells}</tr>")
                i += 1
            rows = "".join(body)
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif _BULLET.match(line) or _NUMBERED.match(line):
            pattern, tag = (_BULLET, "ul") if _BULLET.match(line) else (_NUMBERED, "ol")
            items: list[tuple[str, list[str]]] = []  # (text, sub-items one level down)
            while i < len(lines) and lines[i].strip():
                current = lines[i]
                indented = current.startswith((" ", "\t"))
                nested = _BULLET.match(current) or _NUMBERED.match(current)
                if nested and indented and items:
                    items[-1][1].append(nested[1])
                elif (item := pattern.match(current)) and not indented:
                    items.append((item[1], []))
                elif indented and items:
                    # A continuation line: of the last sub-item if there is one, else the item.
                    text, subs = items[-1]
                    if subs:
                        subs[-1] += " " + current.strip()
                    else:
                        items[-1] = (text + " " + current.strip(), subs)
                else:
                    break
                i += 1
            listed = "".join(_item(span(t), subs, span) for t, subs in items)
            out.append(f"<{tag}>{listed}</{tag}>")
        else:
            para: list[str] = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines, i):
                para.append(lines[i].strip())
                i += 1
            out.append(f"<p>{span(' '.join(para))}</p>")
    return nh3.clean(
        "\n".join(out), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None
    )


def _item(text: str, subs: list[str], span: Callable[[str], str]) -> str:
    nested = "<ul>" + "".join(f"<li>{span(t)}</li>" for t in subs) + "</ul>" if subs else ""
    return f"<li>{text}{nested}</li>"


def _starts_block(lines: list[str], i: int) -> bool:
    line = lines[i]
    return bool(
        line.startswith("```")
        or _COMMENT.match(line)
        or _HEADING.match(line)
        or _BULLET.match(line)
        or _NUMBERED.match(line)
        or line.lstrip().startswith(">")
        or ("|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]))
    )
