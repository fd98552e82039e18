"""Pages for the shared inventory: parse → check rule → call service → template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.inventory import selectors, services
from dualpower.inventory.forms import ItemForm, MovementForm
from dualpower.members.roles import membership_for
from dualpower.web.actions import attach_error, post_action, render_form
from dualpower.web.pages import page_of
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def item_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "inventory.view_inventory", community)
    can_add = request.user.has_perm("inventory.add_item", community)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check(request, "inventory.add_item", community)
        if form.is_valid():
            try:
                item = services.item_create(
                    community=community, by=membership_for(request.user, community), **form.cleaned_data
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("“%(name)s” was added.") % {"name": item.name})
                return redirect("inventory:detail", community.slug, item.pk)
    items = page_of(
        lambda limit, offset: selectors.items_of(community=community)[offset : offset + limit],
        raw=request.GET.get("page"),
    )
    # Counted over the whole inventory, not the page shown: a low item on page 3 is still low.
    context = {"items": items.rows, "page": items, "low": selectors.low_items(community=community).count()}
    if not can_add:
        return render(request, "inventory/list.html", {**context, "form": None})
    return render_form(request, "inventory/list.html", form, context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def item_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "inventory.view_inventory", community)
    item = selectors.item_get(community=community, pk=pk)
    keeps = request.user.has_perm("inventory.move_stock", community)
    form = MovementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check(request, "inventory.move_stock", community)
        if form.is_valid():
            data = form.cleaned_data
            by = membership_for(request.user, community)
            try:
                if data["kind"] == "count":
                    lot = selectors.lot_get(item=item, code=data["lot"])
                    services.stock_count(
                        item=item, counted=data["quantity"], by=by, reason=data["reason"], lot=lot
                    )
                elif data["kind"] == "in":
                    services.stock_in(
                        item=item,
                        quantity=data["quantity"],
                        by=by,
                        reason=data["reason"],
                        lot=data["lot"],
                        expires_on=data["expires_on"],
                    )
                else:
                    served = selectors.aid_request_by_code(community=community, code=data["aid_request"])
                    lot = selectors.lot_get(item=item, code=data["lot"])
                    services.stock_out(
                        item=item,
                        quantity=data["quantity"],
                        by=by,
                        reason=data["reason"],
                        aid_request=served,
                        lot=lot,
                    )
            except DomainError as exc:
                if exc.field == "counted":  # the form asks for the count in its quantity field
                    exc.field = "quantity"
                attach_error(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("inventory:detail", community.slug, item.pk)
    context = {
        "item": item,
        "keeps": keeps,
        "lots": list(selectors.lots_of(item=item)),
        "today": timezone.localdate(),
        "movements": list(selectors.movements_of(item=item)[:50]) if keeps else [],
        "open_requests": selectors.aid_requests_to_serve(
            community=community, membership=membership_for(request.user, community)
        )
        if keeps
        else [],
    }
    if not keeps:
        return render(request, "inventory/detail.html", {**context, "form": None})
    return render_form(request, "inventory/detail.html", form, context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def item_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "inventory.view_inventory", community)
    check(request, "inventory.change_item", community)
    item = selectors.item_get(community=community, pk=pk)
    initial = {
        "name": item.name,
        "unit": item.unit,
        "low_threshold": item.low_threshold,
        "location": item.location,
        "expiry_warning_days": item.expiry_warning_days,
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, by=membership_for(request.user, community), **form.cleaned_data)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("inventory:detail", community.slug, item.pk)
    return render_form(request, "inventory/edit.html", form, {"item": item})


@require_http_methods(["POST"])
@with_community
def lot_discard(request: HttpRequest, community: Community, pk: int, lot_id: int) -> HttpResponse:
    """Take what is left of a lot off the shelf (expired, recalled): the only way an expired lot
    leaves the stock."""
    check(request, "inventory.view_inventory", community)
    check(request, "inventory.move_stock", community)
    item = selectors.item_get(community=community, pk=pk)
    lot = selectors.lots_of(item=item).filter(pk=lot_id).first()
    if lot is None:
        raise NotFound(_("%(name)s has no such lot on the shelf.") % {"name": item.name})
    return post_action(
        request,
        run=lambda: services.lot_discard(lot=lot, by=membership_for(request.user, community)),
        back=reverse("inventory:detail", args=[community.slug, item.pk]),
        message=_("Lot %(lot)s was taken off the shelf.") % {"lot": lot.code},
    )
