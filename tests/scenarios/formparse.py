"""What a browser would submit for a rendered form: its fields' names and values, in order."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.depth = 0
        self.fields: list[tuple[str, str]] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list[str] | None = None
        self._option_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option = []
            self._option_attrs = a

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            text = "".join(self._textarea[1])
            # The HTML parser drops one newline right after <textarea>; so does a browser.
            self.fields.append((self._textarea[0], text.removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._select is not None and self._option is not None:
            value = self._option_attrs.get("value")
            text = "".join(self._option)
            self._select[1].append(
                (text if value is None else value, "selected" in self._option_attrs)
            )
            self._option = None
        elif tag == "select" and self._select:
            options = self._select[1]
            chosen = next((v for v, sel in options if sel), options[0][0] if options else None)
            if chosen is not None:
                self.fields.append((self._select[0], chosen))
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option.append(data)


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.fields
