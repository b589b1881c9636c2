# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which chatter posts on a lead are a salesperson's response (``lead.message_posted``).

Pure, standard library only: never import odoo here (the project's CI tests it by path).
"""

MESSAGE = "message"  # "Send message": to the followers, i.e. usually the customer
NOTE = "note"  # "Log note": internal
EMAIL = "email"  # arrived by email, e.g. the salesperson answered from their mailbox
ACTIVITY_DONE = "activity_done"  # an activity of the lead marked done

KINDS = (MESSAGE, NOTE, EMAIL, ACTIVITY_DONE)


def response_kind(message_type, activity_done, internal):
    """Kind of response a ``mail.message`` is, or None when it is not one.

    :param message_type: the message's ``message_type`` (17.0: email, comment,
        email_outgoing, notification, auto_comment, user_notification)
    :param activity_done: the message reports a done activity (17.0 posts it as a
        ``notification`` with ``mail_activity_type_id`` set)
    :param internal: its subtype is internal (a log note)

    Tracking messages, system notifications and mass mailings are not responses.
    """
    if activity_done:
        return ACTIVITY_DONE
    if message_type == "email":
        return EMAIL
    if message_type == "comment":
        return NOTE if internal else MESSAGE
    return None
