# Correos electrónicos. Texto plano: sin marcado. Cada mensaje es una línea
# entera del correo; `.subject` es el asunto, `.opening` el primer párrafo.
# La marca «Accord» no se traduce.

mail-greeting = Buenos días:
mail-sign-off = -- Accord
mail-details-link = Detalles (tras iniciar sesión): { $link }
mail-withheld-case = Este mensaje no contiene deliberadamente ningún detalle del caso.
mail-withheld-report = Este mensaje no contiene deliberadamente ningún detalle de la denuncia.
mail-withheld-statement = Este mensaje no contiene deliberadamente el texto de la declaración.

## Lo que un correo dice de una audiencia: nunca el caso.

mail-court = Tribunal: { $court }
mail-city = Ciudad:   { $city }
mail-start = Inicio:   { $start }
mail-start-postponed = Inicio:   { $start } (aplazada)
mail-start-cancelled = Inicio:   { $start } (cancelada)

## Avisos sobre audiencias.

mail-reminder =
    .subject = Accord: recordatorio de observación de juicio ({ $hours } h)
    .opening = Tiene una plaza confirmada para observar esta audiencia, que empieza pronto.
mail-promoted =
    .subject = Accord: su plaza está confirmada en un turno de observación
    .opening = Se liberó una plaza: pasó de la lista de espera a una plaza confirmada en el turno de observación de esta audiencia.
mail-demoted =
    .subject = Accord: de vuelta a la lista de espera
    .opening = Esta audiencia necesita menos personas observadoras: su plaza confirmada volvió a la lista de espera. Se le avisará si se libera una plaza.
mail-rescheduled =
    .subject = Accord: audiencia reprogramada
    .opening = Una audiencia en cuyo turno de observación figura tiene una nueva hora de inicio.
mail-postponed =
    .subject = Accord: audiencia aplazada
    .opening = Una audiencia en cuyo turno de observación figura ha sido aplazada; todavía no hay nueva fecha.
mail-cancelled =
    .subject = Accord: audiencia cancelada
    .opening = Una audiencia en cuyo turno de observación figura ha sido cancelada; su plaza en ese turno queda anulada.

## Ceder una plaza del turno de observación a otra persona de la misión.

mail-offered =
    .subject = Accord: una persona de su misión le ofrece su plaza
    .opening = Una persona de su misión le ofrece su plaza en el turno de observación de esta audiencia. Inicie sesión para aceptarla o rechazarla antes de la fecha límite de inscripción.
mail-offer-taken =
    .subject = Accord: ha asumido una plaza de observación
    .opening = Aceptó un traspaso: la plaza de esta audiencia ahora es suya, en la posición que ocupaba en el turno.
mail-offer-given =
    .subject = Accord: su plaza de observación fue traspasada
    .opening = La persona a quien ofreció su plaza la aceptó: su plaza en el turno de observación de esta audiencia ahora es de esa persona y usted ya no la ocupa.
mail-offer-declined =
    .subject = Accord: su oferta de plaza fue rechazada
    .opening = La persona a quien ofreció su plaza la rechazó; usted conserva la plaza.
mail-offer-expired =
    .subject = Accord: su oferta de plaza venció
    .opening = Nadie asumió su plaza antes de la fecha límite de inscripción; usted la conserva.
mail-offer-cancelled =
    .subject = Accord: su oferta de plaza fue cancelada
    .opening = Su oferta de plaza para esta audiencia fue cancelada: la plaza ya no puede traspasarse como se ofreció.

## Denuncias de ataque: que una espera, nunca lo que dice.

mail-report-received =
    .subject = Accord: una nueva denuncia de ataque requiere su atención
    .opening = Se envió una denuncia de ataque a su país. Inicie sesión para tramitarla.
mail-report-unacknowledged =
    .subject = Accord: una denuncia de ataque sigue esperando a su país
    .opening = Una denuncia de ataque enviada a su país aún no ha sido acusada de recibo. Inicie sesión para tramitarla.
mail-report-responded =
    .subject = Accord: un país respondió a su denuncia
    .opening = Un país actualizó su respuesta a una denuncia de ataque presentada por su organización. Inicie sesión para leerla.

## Declaraciones conjuntas: lo que se pide, nunca el título ni el texto.

mail-statement-invited =
    .subject = Accord: su país está invitado a firmar una declaración conjunta
    .opening = Su país fue invitado a revisar y suscribir una declaración conjunta o gestión diplomática.
mail-statement-stale =
    .subject = Accord: una declaración que aprobó ha cambiado
    .opening = Una declaración conjunta que su país aprobó tiene una nueva versión ({ $version }); su aprobación deja de contar hasta que apruebe el nuevo texto.
mail-statement-deadline =
    .subject = Accord: se acerca la fecha límite para suscribir una declaración
    .opening = Su país aún no ha respondido al texto actual de una declaración conjunta. La fecha límite para suscribirla es el { $deadline }.
mail-statement-finalized =
    .subject = Accord: se finalizó una declaración conjunta
    .opening = Se finalizó una declaración conjunta en la que participó su país; inicie sesión para ver el texto final y sus firmantes.
mail-time-and-utc = { $local }; { $utc }

## Solicitudes para conocer la identidad de una persona defensora.

mail-reveal-requested =
    .subject = Accord: un país socio pide conocer una identidad
    .opening = Un país socio pide conocer la identidad de una persona defensora en uno de los casos de su país. Decide una persona custodia de la clave de su país; inicie sesión.
mail-reveal-decided =
    .subject = Accord: su solicitud de identidad recibió respuesta
    .opening = El país titular de un caso respondió a la solicitud de su país de conocer la identidad de una persona defensora. Inicie sesión para leer la decisión.

## El resumen semanal de cobertura: solo cifras y enlaces.

mail-digest-covered =
    .subject = Accord: todas las próximas audiencias que ve tienen su observación cubierta
    .opening = En los próximos { $days } días, ninguna audiencia que puede ver carece de observación.
mail-digest-subject = { $total ->
    [one] Accord: { $total } próxima audiencia carece de observación
   *[other] Accord: { $total } próximas audiencias carecen de observación
}
mail-digest-opening = { $total ->
    [one] En los próximos { $days } días, { $total } audiencia que puede ver carece de observación. Entre las que se enumeran abajo: plazas de observación libres, { $open }; audiencias aún sin ninguna persona observadora, { $none }.
   *[other] En los próximos { $days } días, { $total } audiencias que puede ver carecen de observación. Entre las que se enumeran abajo: plazas de observación libres, { $open }; audiencias aún sin ninguna persona observadora, { $none }.
}
mail-digest-line = - { $confirmed } de { $needed } plazas de observación confirmadas: { $link }
mail-digest-more = - y { $count } más
mail-digest-overview = Resumen de cobertura (tras iniciar sesión): { $link }

## Sobre el inicio de sesión de la persona destinataria.

mail-recovery-code-used =
    .subject = Accord: se usó un código de recuperación para iniciar sesión en su cuenta
    .opening = Alguien inició sesión en su cuenta de Accord con uno de sus códigos de recuperación. Ese código ya no funciona.
mail-totp-removed =
    .subject = Accord: se desactivó el inicio de sesión en dos pasos en su cuenta
    .opening = Se desactivó el inicio de sesión en dos pasos con una aplicación de autenticación en su cuenta de Accord, y sus códigos de recuperación ya no funcionan.
mail-security-when = Cuándo: { $when }
mail-security-not-you = Si no fue usted, cambie su contraseña de inmediato, cierre todas sus sesiones y avise a la administración de su misión.
