from . import test_signature
from . import test_payload
from . import test_delivery
from . import test_delivery_order
from . import test_outbox_retry
from . import test_message_posted
from . import test_housekeeping
from . import test_settings
