# Pure helpers with no Odoo import, so the project's CI can test them without Odoo.
from . import backoff
from . import delivery_plan
from . import message_kind
from . import signature
