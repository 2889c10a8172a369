# Le flux d'agenda privé (iCalendar) des audiences confirmées d'une personne.

calendar-feed-name = Accord : observations de procès
# $court: the court's name, as typed.
calendar-feed-summary = Observation de procès — { $court }
# $start: the court's local time with its zone, the reader's own beside it.
calendar-feed-description = Heure locale du tribunal : { $start }. Détails dans Accord : { $link }
