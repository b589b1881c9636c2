from . import gassistant_outbox
from . import sale_order
from . import res_config_settings
