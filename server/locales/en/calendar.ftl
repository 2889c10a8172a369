# The private calendar feed (iCalendar) of a person's confirmed hearings: the
# feed's name, each event's title and description. Plain text.

calendar-feed-name = Accord trial observations
# $court: the court's name, as typed.
calendar-feed-summary = Trial observation — { $court }
# $start: the court's local time with its zone, the reader's own beside it.
calendar-feed-description = Local time at the court: { $start }. Details in Accord: { $link }
