"""``{% load fragments %}``: a part of a page kept while the data is unchanged (web/fragments.py).

    {% fragment "agenda" meeting my_role %}
      … the same HTML for everyone who sees it with this meeting and this role …
    {% endfragment %}

The key is the template, the tag's place in it, its name, the page's community and the values
after the name (a model instance counts by its kind and id); the language, the time zone and the
database's state are added by ``kept_html``. Name everything the part depends on besides the data:
what the visitor may see or do differently belongs in the key, or outside the fragment. The values
a fragment's content reads from the context are worked out only when it is rendered: give
expensive ones as ``fragments.Later(selector, …)``. ``{% csrf_token %}`` inside is the visitor's
own.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.template.base import FilterExpression, NodeList, Parser, Token

from dualpower.web.fragments import kept_html

register = template.Library()


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "name" value … %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    origin = getattr(parser, "origin", None)
    return FragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
        place=(str(getattr(origin, "name", "")), token.lineno or 0),
    )


def _key_part(value: Any) -> Any:
    if isinstance(value, Model):
        return (value._meta.label, value.pk)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class FragmentNode(template.Node):
    def __init__(
        self, nodelist: NodeList, name: FilterExpression, vary: list[FilterExpression], place: tuple[str, int]
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.place = place

    def render(self, context: template.Context) -> str:
        community = context.get("community")
        key = (
            *self.place,
            self.name.resolve(context),
            getattr(community, "pk", None),
            *(_key_part(v.resolve(context)) for v in self.vary),
        )

        def make(csrf: Any) -> str:
            with context.push(csrf_token=csrf):
                return str(self.nodelist.render(context))

        return kept_html(
            key=key,
            make=make,
            csrf_token=lambda: context.get("csrf_token") or "",
        )
