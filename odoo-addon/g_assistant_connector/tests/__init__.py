from . import test_signature
from . import test_payload
from . import test_delivery
from . import test_outbox_retry
from . import test_settings
