from . import hub_ready
