# Las audiencias: el calendario, una audiencia, su turno de observación y el
# formulario de observación (observación de juicios, método OSCE/OIDDH).

## Confirmaciones tras un cambio.

hearings-done-place-confirmed = Tiene un puesto confirmado en el turno de observación de esta audiencia.
hearings-done-place-waitlisted = Está en la lista de espera de esta audiencia. Recibirá un correo electrónico si se libera un puesto.
hearings-done-place-released = Ha cedido su puesto en el turno de observación.
hearings-done-observation-saved = Su observación se ha guardado.

## Un puesto en un turno de observación, en palabras.

hearings-place-confirmed = Confirmado
hearings-place-waitlisted = En lista de espera
hearings-place-waitlisted-number = En lista de espera, número { $number } en la fila
hearings-place-suspended = Suspendido
hearings-place-suspended-consent = Suspendido: la persona defensora retiró su consentimiento
hearings-place-suspended-visibility = Suspendido: el país ya no tiene acceso al caso
hearings-place-unknown = Desconocido

## Estado y cobertura de una audiencia.

hearings-status-scheduled = Programada
hearings-status-postponed = Aplazada
hearings-status-held = Celebrada
hearings-status-cancelled = Cancelada
hearings-status-unknown = Desconocido
hearings-coverage-uncovered = Sin cubrir
hearings-coverage-partial = Cubierta en parte
hearings-coverage-covered = Cubierta

## Lo que ocurrió en la audiencia.

hearings-outcome-access-denied = Acceso denegado
hearings-outcome-adjourned = Suspendida
hearings-outcome-heard = Vista celebrada
hearings-outcome-verdict = Sentencia dictada
hearings-outcome-postponed = Aplazada
hearings-outcome-other = Otro

## Respuestas de la observación.

hearings-yes = Sí
hearings-no = No
hearings-not-recorded = Sin registrar
hearings-none-recorded = Ninguna categoría registrada
hearings-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
hearings-courtroom-granted = Permitido
hearings-courtroom-granted-after-delay = Permitido tras una espera
hearings-courtroom-denied = Denegado
hearings-access-open = Abierta
hearings-access-restricted = Restringida
hearings-access-closed = A puerta cerrada
hearings-access-not-observed = No observado
hearings-counsel-unrestricted = Sin restricciones
hearings-counsel-restricted = Restringido
hearings-counsel-denied = Denegado
hearings-counsel-not-observed = No observado
hearings-interpretation-provided = Proporcionada
hearings-interpretation-inadequate = Deficiente
hearings-interpretation-not-provided = No proporcionada
hearings-interpretation-not-needed = No necesaria
hearings-present-family = Familiares
hearings-present-public = Público
hearings-present-press = Prensa
hearings-present-other-diplomats = Otro personal diplomático
hearings-present-un-or-international = ONU u organismos internacionales
hearings-present-ngo-observers = Observadores/as de ONG
hearings-present-security-forces = Fuerzas de seguridad
hearings-present-government-officials = Representantes del gobierno
hearings-present-victims = Víctimas

## El calendario (/hearings).

hearings-title = Audiencias
hearings-intro = Juicios a los que puede asistir en calidad de observación. Las horas son las locales del tribunal, con su propia hora ({ $zone }) al lado.
hearings-filter = Filtrar audiencias
hearings-filter-host = País anfitrión
hearings-filter-any-country = Cualquier país
hearings-filter-from = Desde
hearings-filter-from-hint = (día, según su hora)
hearings-filter-to = Hasta
hearings-filter-to-hint = (incluido)
hearings-filter-submit = Mostrar audiencias
hearings-error-date = Introduzca una fecha como año-mes-día, por ejemplo 2027-03-01
hearings-error-to-before-from = Debe ser el mismo día que «Desde» o posterior
hearings-count = { $count ->
    [one] { $count } audiencia en total
   *[other] { $count } audiencias en total
}{ $later ->
    [yes] {" "}(una página posterior).
   *[no] .
}
hearings-none = Ninguna audiencia coincide.
hearings-caption = Audiencias por hora de inicio
hearings-col-starts = Inicio
hearings-col-court = Tribunal
hearings-col-city = Ciudad
hearings-col-host = País anfitrión
hearings-col-observers = Puestos confirmados / necesarios
hearings-col-your-place = Su puesto
hearings-your-place-none = Ninguno
hearings-first-page = Primera página
hearings-next-page = Página siguiente

## Una audiencia.

hearing-title = Audiencia en { $court }
hearing-heading = Audiencia en { $court }, { $city }
hearing-starts = Inicio (hora local del tribunal)
hearing-duration = Duración
hearing-status = Estado
hearing-claims-close = Cierre de inscripciones
hearing-case = Caso
hearing-case-not-shared = No compartido con usted
hearing-observers = Observación
hearing-observers-count = { $confirmed } de { $needed } puestos confirmados: { $coverage }
hearing-your-place = Su puesto
hearing-your-place-none = Ninguno
hearing-claim = Reservar un puesto
hearing-claim-hint = Obtiene un puesto confirmado si queda alguno libre; si no, se incorpora al final de la lista de espera.
hearing-release = Ceder mi puesto
hearing-release-hint = Lo obtiene la primera persona de la lista de espera.
hearing-roster = Turno de observación
hearing-roster-action = Turno de observación
hearing-roster-empty = Nadie ha reservado un puesto todavía.
hearing-roster-caption = Puestos confirmados y, a continuación, la lista de espera por orden
hearing-col-place = Puesto
hearing-col-country = País
hearing-col-observer = Persona observadora
hearing-observer-hidden = No se muestra a su país
hearing-you = (usted)
hearing-observations = Observaciones
hearing-observations-none = Todavía no se ha presentado ninguna observación.
hearing-observation-from = Observación de { $country }
hearing-observation-from-named = Observación de { $country }: { $who }
hearing-observation-submitted = Presentada el { $submitted }
hearing-observation-submitted-amended = Presentada el { $submitted }; modificada el { $amended }
hearing-why-amended = Motivo de la modificación:
hearing-history = La versión original y las anteriores ({ $count })
hearing-history-original = Versión original
hearing-history-amendment = Modificación { $number }
hearing-history-times = redactada el { $written }, sustituida el { $replaced }
hearing-history-why = motivo: { $reason }
hearing-report-later = Podrá informar sobre esta audiencia una vez que haya comenzado.
hearing-form-amend-title = Modificar su observación
hearing-form-submit-title = Presentar su observación
hearing-form-amend-hint = Su observación queda bloqueada tal como se presentó: una modificación aporta el contenido completo corregido y su motivo; lo que registró en primer lugar sigue siendo legible.
hearing-form-submit-hint = Solo hechos; una vez presentada, las correcciones son modificaciones motivadas. No nombre nunca a la persona defensora ni a ninguna persona presente.
hearing-field-courtroom-access = Acceso a la sala
hearing-field-access-note = Cómo fue el acceso
hearing-field-access-note-hint = (opcional, por ejemplo una espera o un registro)
hearing-field-public-access = Acceso del público
hearing-field-press-access = Acceso de la prensa
hearing-field-counsel-access = Acceso de la persona acusada a su abogado/a
hearing-field-present = Personas presentes
hearing-field-present-hint = (solo categorías, nunca nombres)
hearing-field-interpretation = Interpretación
hearing-field-duration = Duración
hearing-field-duration-minutes = Duración en minutos
hearing-field-optional = (opcional)
hearing-field-adjourned = La audiencia se suspendió
hearing-field-adjournment-reason = Motivo alegado para la suspensión
hearing-field-adjournment-reason-short = Motivo de la suspensión
hearing-field-adjournment-reason-hint = (solo si se suspendió)
hearing-field-outcome = Resultado
hearing-field-outcome-hint = (elija «Acceso denegado» si se le impidió la entrada)
hearing-field-choose = Elegir
hearing-field-defendant-present = ¿Estaba presente la persona acusada?
hearing-field-ill-treatment = ¿Se denunciaron malos tratos?
hearing-field-notable-events = Hechos destacados
hearing-field-notable-events-hint = (opcional; hechos, nunca nombres)
hearing-field-notes = Notas
hearing-field-notes-hint = (opcional; no nombre nunca a la persona defensora)
hearing-field-reason = Motivo de la modificación
hearing-field-reason-label = Por qué la modifica
hearing-field-reason-hint = (obligatorio; se muestra con la modificación)
hearing-form-amend = Modificar la observación
hearing-form-submit = Presentar la observación
hearing-error-choose-access = Indique si pudo entrar
hearing-error-choose-outcome = Indique lo que ocurrió en la audiencia
hearing-error-choose-present = Elija de la lista
hearing-error-whole-minutes = Indique un número entero de minutos

## Una observación tal como se muestra.

hearing-content-present = Presentes
hearing-content-counsel-access = Acceso a la defensa letrada
hearing-content-adjourned = Suspensión
hearing-content-adjourned-reason = { $adjourned }: { $reason }
hearing-content-defendant-present = Persona acusada presente
hearing-content-ill-treatment = Malos tratos denunciados
