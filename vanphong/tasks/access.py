"""Who may see and act on a task, as SQL conditions and checks shared by pages, API, jobs.

* See: the organisation that gave the task (and its Văn phòng, which follows up for it),
  the lead and cooperating organisations (a cooperating unit counts for its organisation),
  and the people named on it — an organisation
  sees its own tasks and those it assigned, nothing else. A classified task (inherited
  from its source) is seen in those organisations only by their leaders and book keepers
  and by the people named, and never above the reader's clearance.
* Act as the assigner (confirm, return, decide extensions, cancel, edit): DIRECT in the
  organisation that gave it or in its Văn phòng, or being the leader who gave it.
* Act as the doer (accept, report progress, complete, ask for more time): the lead person,
  or WRITE or DIRECT in the lead organisation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact
from django.http import Http404

from vanphong.orgs.access import Capability, can, organizations_with, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification, Organization
from vanphong.tasks.models import Task, TaskAccess, TaskTally


def _orgs(scope: Any, capability: Capability) -> list[int]:
    """The ids of the organisations where ``capability`` is held (a subtree grant expanded to
    its organisations), asked once per scope: one request builds several task queries."""
    if not scope.grants:  # EMPTY_SCOPE is shared: nothing is remembered on it
        return []
    key = f"task_orgs:{capability}"
    if key not in scope._memo:
        scope._memo[key] = list(
            Organization.objects.filter(scope.org_q(capability)).values_list("pk", flat=True)
        )
    return list(scope._memo[key])


def followed_up_by(org_ids: list[int]) -> list[int]:
    """The committees whose Văn phòng is among ``org_ids``: the office follows up their tasks."""
    if not org_ids:
        return []
    return list(
        Organization.objects.filter(is_office=True, pk__in=org_ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )


def task_visibility_q(user: Actor) -> Q:
    """One EXISTS on ``TaskAccess`` under the clearance cap: a row of an organisation where
    the reader keeps the classified books or directs (any classification), of one where they
    only read (unclassified tasks), naming the reader, or — for the Văn phòng, which follows
    up the tasks its committee gives — the giver row of that committee. A single semi-join,
    which the planner drives from the reader's rows (a commune) or from the task list (the
    province) as the numbers say; the OR it replaces spanned the task, its parties and their
    units and read every task for every count (docs/performance.md).

    The rows are asked for by ``holder`` (an organisation's id, or the person's negated): one
    IN that the (holder, task, giver) and (task, holder, giver) indexes answer without
    reading the table; what tells the branches apart is then checked on the same index."""
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    readers = _orgs(scope, Capability.READ)
    keepers = scope.classified_keeper_ids()
    only_readers = sorted(set(readers) - set(keepers))
    any_level = [*keepers, -scope.person_id]
    unclassified = Q(Exact(OuterRef("classification"), 0))
    branches = [(any_level, Q())]
    if only_readers:
        branches.append((only_readers, unclassified))
    # A committee whose books the reader keeps anyway needs no giver branch of its own.
    followed_any = [c for c in followed_up_by(keepers) if c not in keepers]
    followed_open = [c for c in followed_up_by(only_readers) if c not in keepers and c not in only_readers]
    if followed_any:
        branches.append((followed_any, Q(giver=True)))
    if followed_open:
        branches.append((followed_open, Q(giver=True) & unclassified))
    if len(branches) == 1:
        rows = Q(holder__in=any_level)
    else:
        which = Q()
        for holders, condition in branches:
            which |= Q(holder__in=holders) & condition
        rows = Q(holder__in=sorted({h for holders, _ in branches for h in holders})) & which
    reach = Q(Exists(TaskAccess.objects.filter(rows, task=OuterRef("pk"))))
    if any(g.subtree for g in scope.grants):
        # A reader of a whole subtree (the Bí thư, an administrator) reaches most tasks: the
        # giver column of the task row settles nearly all of them without the subquery.
        givers = keepers + followed_any
        reach = Q(organization_id__in=givers) | reach
    return reach & Q(classification__lte=scope.clearance)


def sees_every_task(user: Actor) -> bool:
    """Whether every task there is is one ``user`` may see: they hold the highest clearance,
    and every organisation that has given a task (as the maintained tally knows them) is one
    whose classified books they keep or which they direct, or whose Văn phòng they belong to
    — the giver test of ``task_visibility_q``, which alone lets a task through. Then "the
    tasks I may see" are all tasks, and their counts are the tally's (``selectors.counts``):
    the Bí thư's statistics read a few hundred rows instead of every task. Asked once per
    request (one query on the tally)."""
    scope = scope_for(user)
    if scope.person_id is None or not scope.grants or scope.clearance < max(Classification.values):
        return False
    if "sees_every_task" not in scope._memo:
        keepers = scope.classified_keeper_ids()
        givers = keepers + followed_up_by(keepers)
        others = TaskTally.objects.filter(count__gt=0).exclude(giver_id__in=givers)
        scope._memo["sees_every_task"] = not others.exists()
    return bool(scope._memo["sees_every_task"])


def visible_tasks(user: Actor, queryset: QuerySet[Task] | None = None) -> QuerySet[Task]:
    qs = Task.objects.all() if queryset is None else queryset
    return qs.filter(task_visibility_q(user))


def get_task(user: Actor, pk: Any, queryset: QuerySet[Task] | None = None) -> Task:
    """One task the user may see, or 404."""
    try:
        return visible_tasks(user, queryset).get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_assign_for(user: Actor, organization: Organization) -> bool:
    """Whether ``user`` may give tasks in the name of ``organization``: DIRECT there, or
    DIRECT or WRITE in its Văn phòng (the office enters the committee's conclusions)."""
    scope = scope_for(user)
    if scope.reaches(Capability.DIRECT, organization):
        return True
    offices = Organization.objects.filter(parent=organization, is_office=True, active=True)
    return any(
        scope.reaches(Capability.DIRECT, office) or scope.reaches(Capability.WRITE, office)
        for office in offices
    )


def may_direct_for(user: Actor, organization: Organization) -> bool:
    """DIRECT in ``organization`` or in its Văn phòng: the assigner's decisions (entering a
    task for the committee is not enough to decide on it)."""
    scope = scope_for(user)
    if scope.reaches(Capability.DIRECT, organization):
        return True
    offices = Organization.objects.filter(parent=organization, is_office=True, active=True)
    return any(scope.reaches(Capability.DIRECT, office) for office in offices)


def may_manage(user: Actor, task: Task) -> bool:
    """The assigner's side: confirm, return, decide extensions, cancel, edit — the leader
    who gave it, who entered it, or DIRECT in the giving organisation or its Văn phòng."""
    scope = scope_for(user)
    if scope.person_id is None or task.classification > scope.clearance:
        return False
    if scope.person_id in (task.issued_by_id, task.created_by_id):
        return True
    return may_direct_for(user, task.organization)


def may_work(user: Actor, task: Task) -> bool:
    """The doer's side: accept, report progress, complete, ask for more time. For a lead
    organisation that does not use the system (hosted=False: a state body, an outside
    agency), whoever may give the task's tasks — the giver's Văn phòng — reports for it."""
    scope = scope_for(user)
    if scope.person_id is None or task.classification > scope.clearance:
        return False
    if task.lead_person_id is not None and task.lead_person_id == scope.person_id:
        return True
    lead = task.lead_organization
    if scope.reaches(Capability.WRITE, lead) or scope.reaches(Capability.DIRECT, lead):
        return True
    return not lead.hosted and may_assign_for(user, task.organization)


def may_backdate(user: Actor, task: Task) -> bool:
    """Who may record a completion date earlier than the day of the report: the assigner's
    side, and the Văn phòng entering what an outside organisation reported — never the
    lead organisation for itself (it would be counted on time by its own word)."""
    return may_manage(user, task) or may_assign_for(user, task.organization)


# Limit of the giver picker's list (a province has a few hundred organisations).
MAX_GIVERS = 300


def assignable_organizations(user: Actor, *, parent: Task | None = None) -> list[Organization]:
    """The organisations in whose name ``user`` may give a task (``may_assign_for``):
    where they direct, and the committees whose Văn phòng they work in. Breaking down a task
    they lead, also in the name of its lead organisation."""
    offices = organizations_with(user, Capability.WRITE).filter(is_office=True, active=True)
    directing = organizations_with(user, Capability.DIRECT)
    candidates = (
        Organization.objects.filter(Q(pk__in=directing.values("pk")) | Q(pk__in=offices.values("parent_id")))
        .filter(active=True, hosted=True)
        .order_by("depth", "path")[:MAX_GIVERS]
    )
    result = [o for o in candidates if may_assign_for(user, o)]
    if parent is not None and may_work(user, parent):
        lead = parent.lead_organization
        if all(o.pk != lead.pk for o in result):
            result.insert(0, lead)
    return result


def may_give_tasks(user: Actor) -> bool:
    """Whether ``user`` may give tasks in any organisation's name (shows "Giao nhiệm vụ")."""
    return can(user, Capability.DIRECT) or (
        organizations_with(user, Capability.WRITE).filter(is_office=True, active=True).exists()
    )
