"""Incubation of volunteer-service organizations at incubation bases (DOMAIN "Incubation", I1–I6).

``applications``: the case (``IncubationApplication``) and its status; ``reviews``: expert score
sheets and recusals; ``milestones``: milestones and nominations; ``bases``: a base's own
settings; ``workflow``: the viewflow process proxy.
"""
from .applications import ADMITTED, BEFORE_AGREEMENT, IncubationApplication, Status
from .bases import IncubationBaseSettings
from .milestones import Milestone, Nomination
from .reviews import ExpertRecusal, ExpertScore
from .workflow import IncubationProcess

__all__ = [
    "ADMITTED", "BEFORE_AGREEMENT", "ExpertRecusal", "ExpertScore", "IncubationApplication",
    "IncubationBaseSettings", "IncubationProcess", "Milestone", "Nomination", "Status",
]
