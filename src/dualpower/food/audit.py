"""audit of the food app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

say_all(
    {
        "food.site_create": _("%(actor)s added the garden “%(summary)s”"),
        "food.plot_create": _("%(actor)s added the plot “%(summary)s”"),
        "food.plot_update": _("%(actor)s changed the plot “%(summary)s”"),
        "food.crop_create": _("%(actor)s added the crop “%(summary)s”"),
        "food.crop_set_numbers": _("%(actor)s set the yield and weekly need of “%(summary)s”"),
        "food.planting_create": _("%(actor)s planned “%(summary)s”"),
        "food.planting_status": _("%(actor)s changed the status of “%(summary)s”"),
        "food.log_seeding": _("%(actor)s logged a seeding of “%(summary)s”"),
        "food.log_transplanting": _("%(actor)s logged a transplanting of “%(summary)s”"),
        "food.log_input": _("%(actor)s logged an input"),
        "food.log_observation": _("%(actor)s logged an observation"),
        "food.log_harvest": _("%(actor)s logged a harvest of “%(summary)s”"),
        "food.log_rescue": _("%(actor)s logged food rescued from “%(summary)s”"),
        "food.log_status": _("%(actor)s changed the status of a garden log"),
        "food.logs_import": _("%(actor)s imported garden logs from a farmOS file"),
        "food.series_create": _("%(actor)s started “%(summary)s”"),
        "food.seed_lot_create": _("%(actor)s added seed of “%(summary)s” to the library"),
        "food.seed_lend": _("%(actor)s lent seed of “%(summary)s”"),
        "food.seed_return": _("%(actor)s returned saved seed of “%(summary)s”"),
        "food.site_update": _("%(actor)s changed the garden “%(summary)s”"),
        "food.site_remove": _("%(actor)s removed the garden “%(summary)s”"),
        "food.plot_remove": _("%(actor)s removed the plot “%(summary)s”"),
        "food.crop_update": _("%(actor)s changed the crop “%(summary)s”"),
        "food.crop_remove": _("%(actor)s removed the crop “%(summary)s”"),
        "food.planting_update": _("%(actor)s changed the planting “%(summary)s”"),
        "food.planting_remove": _("%(actor)s removed the planting “%(summary)s”"),
        "food.seed_lot_update": _("%(actor)s corrected the seed lot “%(summary)s”"),
        "food.seed_lot_remove": _("%(actor)s removed the seed lot “%(summary)s”"),
    }
)


say(
    "food.priorities.set",
    _("%(actor)s set the order in which harvests are given out"),
    _("A decision set the order in which harvests are given out"),
)
say_all(
    {
        "food.allocation.compute": _("%(actor)s computed the food allocation of the week of %(summary)s"),
        "food.allocation.adjust": _("%(actor)s adjusted the food allocation of the week of %(summary)s"),
        "food.allocation.write": _("%(actor)s gave out the harvest of the week of %(summary)s"),
        "food.allocation.discard": _("%(actor)s discarded the draft allocation of the week of %(summary)s"),
        "food.cycle.create": _("%(actor)s started the share cycle “%(summary)s”"),
        "food.cycle.status": _("%(actor)s moved a share cycle on (%(summary)s)"),
        "food.pickup.add": _("%(actor)s added the pickup point “%(summary)s”"),
        "food.pickup.update": _("%(actor)s changed the pickup point “%(summary)s”"),
        "food.pickup.remove": _("%(actor)s removed the pickup point “%(summary)s”"),
        "food.cycle.update": _("%(actor)s changed the share cycle “%(summary)s”"),
        "food.cycle.remove": _("%(actor)s removed the share cycle “%(summary)s”"),
        "food.basket.set": _("%(actor)s changed a share cycle's basket"),
        "food.share.add": _("%(actor)s added share %(summary)s"),
        "food.round.open": _("%(actor)s opened pledging round %(summary)s"),
        "food.round.close": _("%(actor)s counted pledging round %(summary)s"),
        "food.pledge.set": _("%(actor)s pledged for share %(summary)s"),
        "food.pledge.pay": _("%(actor)s paid the pledge of share %(summary)s"),
    }
)
