"""Folium pages where data stays data: the rule every map builder follows, and the two tools that keep it.

Why this module exists. branca, under Folium, renders a page in two passes: each element's macro is
rendered with its data, and its *output* is then wrapped in ``branca.element.Element(output)``, whose
argument is a Jinja template source, and rendered again with the page. Any ``{{ ... }}`` or ``{% ... %}``
that a worksheet, a boundary file, the roster or a model file put in the data would be evaluated on that
second pass (code execution as the user who publishes), and a lone ``{#`` would make every publish of
the region fail. HTML escaping does not touch braces.

The rule (for every module under ``maps/`` that builds a Folium page):

1. Every string that did not come from this repository reaches a Folium element through :func:`text`
   (HTML-escaped, and ``{`` ``}`` written as the character references ``&#123;`` ``&#125;``, which a
   browser shows as braces and Jinja does not see). Numbers are formatted by us.
2. Never ``Element(f"...{data}...")``: a string given to ``Element`` is template *source*. Fixed HTML
   with data goes in an :class:`Html` element, which holds its text and never compiles it.
3. Pages are rendered with :func:`render_page`, never ``get_root().render()``: it runs the first pass
   as branca does, then renders the page with every wrapped output taken literally, so the second pass
   evaluates nothing, whatever reached the data (defence in depth behind rule 1).

``tests/test_template_payloads.py`` puts template payloads into every user-controlled string, runs the
whole pipeline and checks every output holds them literally.
"""

from __future__ import annotations

import html
import math

from branca.element import Element, Figure


def text(value: object) -> str:
    """``value`` as text for a page: HTML-escaped, braces as character references; None and NaN empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


class Html(Element):
    """Fixed HTML added to a page as it is: never compiled or rendered as a template (see rule 2)."""

    def __init__(self, markup: str):
        super().__init__()  # no template source: nothing is compiled
        self._name = "Html"
        self.markup = markup

    def render(self, **kwargs) -> str:
        return self.markup


class _Literal:
    """Stands in for a compiled template whose source is already the output (see :func:`render_page`)."""

    def __init__(self, source: str):
        self.source = source

    def render(self, *args, **kwargs) -> str:
        return self.source


def _literalise(element: Element) -> None:
    """Every plain ``Element`` built from a string under ``element`` renders that string as it is."""
    for child in list(element._children.values()):
        if type(child) is Element and child._template_str is not None:
            child._template = _Literal(child._template_str)
        _literalise(child)


def render_page(figure_owner: Element) -> str:
    """The page's HTML with no second template pass (see rule 3): branca's ``Figure.render``, with the
    macro outputs it collected taken as text instead of being compiled and rendered again."""
    figure = figure_owner.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("render_page needs an element inside a Figure (a folium.Map)")
    for child in list(figure._children.values()):
        child.render()
    for section in (figure.header, figure.html, figure.script):
        _literalise(section)
    return figure._template.render(this=figure, kwargs={})
