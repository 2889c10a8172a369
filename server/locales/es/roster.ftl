# Mi turno de observación: los puestos de la persona en los turnos de
# observación de juicios, las cesiones de puesto y el calendario privado.

## Confirmaciones tras un cambio.

roster-done-feed-revoked = Su calendario suscrito se ha desactivado: su dirección ya no funciona.
roster-done-feed-none = No tenía ningún calendario suscrito; no ha cambiado nada.
roster-done-offer-made = Su puesto queda ofrecido hasta el cierre de inscripciones.
roster-done-offer-accepted = Ha asumido el puesto: es suyo, en el lugar que ocupaba en el turno.
roster-done-offer-declined = Ha rechazado la oferta.
roster-done-offer-withdrawn = Ha retirado su oferta; el puesto sigue siendo suyo.

## Mi turno de observación (/roster).

roster-title = Mi turno de observación
roster-intro = Sus puestos en los turnos de observación de las próximas audiencias. Las horas son las locales del tribunal, con su propia hora ({ $zone }) al lado.
roster-empty = No tiene ningún puesto en ningún turno de observación.
roster-find-hearing = Buscar una audiencia que observar
roster-caption = Sus reservas, las más próximas primero
roster-col-hearing = Audiencia
roster-col-starts = Inicio
roster-col-city = Ciudad
roster-col-place = Su puesto
roster-col-action = Acción
roster-release = Ceder
roster-release-which = mi puesto en { $court } el { $when }
roster-hand-over-to = Ceder a
roster-anyone = Cualquier persona que pueda reservar
roster-offer = Ofrecer mi puesto
roster-offer-which = en { $court } el { $when }

## Cesiones de puesto.

roster-handovers = Cesiones de puesto
roster-handovers-intro = Puestos ofrecidos por usted, a usted o a cualquiera. Un puesto asumido conserva su lugar en el turno. Las ofertas terminan al cierre de inscripciones de la audiencia.
roster-no-offers = No hay ofertas abiertas.
roster-offered-to-anyone = Lo ofreció a cualquier persona que pueda reservar
roster-offered-to = Lo ofreció a { $name }
roster-offered-to-colleague = Lo ofreció a una persona de su misión
roster-offered-to-you = Una persona de su misión se lo ofrece
roster-open-to-anyone = Abierto a cualquier persona que pueda reservar
roster-withdraw = Retirar
roster-withdraw-which = mi oferta en { $court }
roster-accept = Aceptar
roster-accept-which = el puesto en { $court }
roster-decline = Rechazar
roster-decline-which = el puesto en { $court }

## El calendario suscrito.

roster-feed = Calendario suscrito
roster-feed-intro = Una dirección web privada a la que Outlook u otra aplicación de calendario puede suscribirse: enumera las audiencias en las que tiene un puesto confirmado, solo con el tribunal y la ciudad (nunca el caso ni la persona defensora). Cualquiera que tenga la dirección puede leerlo, así que no la comparta.
roster-feed-on = Su calendario suscrito está activado.
roster-feed-once = Su dirección solo se muestra una vez, al crearla. Si la ha perdido o cree que otra persona la tiene, cree una nueva: la dirección anterior dejará de funcionar.
roster-feed-replace = Sustituir la dirección de mi calendario
roster-feed-turn-off = Desactivar mi calendario
roster-feed-none = No tiene ningún calendario suscrito.
roster-feed-make = Crear la dirección de mi calendario
roster-feed-title = Su calendario suscrito
roster-feed-new = Esta es la nueva dirección privada de su calendario. Cópiela ahora en su aplicación de calendario (en Outlook: agregar un calendario «desde Internet»). Solo se muestra esta vez; cualquier dirección anterior ha dejado de funcionar.
roster-feed-address = Dirección del calendario
roster-feed-warning = Cualquiera que tenga esta dirección puede saber qué audiencias va a observar. No la comparta; si se filtra, cree una nueva o desactive el calendario en Mi turno de observación.
roster-feed-back = Volver a mi turno de observación
