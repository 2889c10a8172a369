# El calendario privado (iCalendar) de las audiencias confirmadas de una persona.

calendar-feed-name = Accord: observaciones de juicios
# $court: the court's name, as typed.
calendar-feed-summary = Observación de juicio — { $court }
# $start: the court's local time with its zone, the reader's own beside it.
calendar-feed-description = Hora local del tribunal: { $start }. Detalles en Accord: { $link }
