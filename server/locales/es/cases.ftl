# Las páginas de casos y audiencias: la lista de casos, un caso, la apertura
# de un caso, el consentimiento, el uso compartido, las revelaciones de
# identidad, las audiencias y las carencias de cobertura.

## Confirmaciones tras un cambio (?done=)

cases-done-case-created = Se abrió el caso. Todavía no hay consentimiento registrado.
cases-done-consent-recorded = Se registró el consentimiento de la persona defensora.
cases-done-case-shared = El caso está compartido.
cases-done-case-unshared = El caso ya no se comparte allí.
cases-done-hearing-scheduled = Se programó la audiencia.
cases-done-hearing-updated = Se actualizó la audiencia.
cases-done-reveal-requested = Su solicitud se envió al país titular del caso.
cases-done-reveal-approved = Se aprobó la solicitud: las personas que custodian la clave del país solicitante pueden abrir la identidad hasta el vencimiento.
cases-done-reveal-denied = Se denegó la solicitud.
cases-done-reveal-revoked = Se revocó la revelación: la identidad queda cerrada de inmediato para el país solicitante.

## Conjuntos cerrados

cases-category-woman-hrd = Mujer defensora de derechos humanos
cases-category-environmental = Persona defensora del medio ambiente
cases-category-land-rights = Derechos sobre la tierra
cases-category-indigenous = Derechos de los pueblos indígenas
cases-category-lgbti = Derechos LGBTI
cases-category-journalist = Periodista
cases-category-lawyer = Abogado/a
cases-category-trade-unionist = Sindicalista
cases-category-student = Estudiante
cases-category-other = Otra

cases-risk-low = Bajo
cases-risk-medium = Medio
cases-risk-high = Alto
cases-risk-critical = Crítico

cases-status-at-risk = En riesgo
cases-status-detained = En detención
cases-status-on-trial = En juicio
cases-status-released = En libertad
cases-status-relocated = Reubicación
cases-status-closed = Cerrado

# Un valor que la página no conoce (guardado por una versión más reciente).
cases-unknown = Desconocido

# Cuánto muestra de un caso un uso compartido, como lo ofrece el formulario.
cases-share-level-summary = Resumen: referencia, país anfitrión, estado, riesgo y categorías
cases-share-level-detail = Detalle: además, seudónimo, región, resumen y (con consentimiento) audiencias
# Los mismos niveles, en breve, en la lista de usos compartidos.
cases-share-level-summary-short = Resumen
cases-share-level-detail-short = Detalle

# Quién dio el consentimiento.
cases-giver-defender = La persona defensora
cases-giver-family = La familia de la persona defensora
cases-giver-representative = La representación de la persona defensora

# Lo que ve de un caso la persona que lo consulta.
cases-visibility-summary = Resumen (compartido con su país)
cases-visibility-detail = Detalle (compartido con su país)
cases-visibility-owner = Completo (caso de su país)

cases-hearing-status-scheduled = Programada
cases-hearing-status-postponed = Aplazada
cases-hearing-status-held = Celebrada
cases-hearing-status-cancelled = Cancelada

# En qué punto está una solicitud de revelación de identidad.
cases-reveal-state-pending = En espera de decisión
cases-reveal-state-approved = Aprobada
cases-reveal-state-denied = Denegada
cases-reveal-state-revoked = Revocada
cases-reveal-state-expired = Vencida

# Un número de días a elegir.
cases-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}

cases-coalition-named = Coalición: { $name }
cases-coalition-left = Una coalición de la que su país ya no forma parte

## La lista de casos

cases-title = Casos
cases-open-new = Abrir un caso nuevo
cases-filter-label = Filtrar los casos
cases-any = Cualquiera
cases-field-host-country = País anfitrión
cases-field-status = Estado
cases-field-risk = Riesgo
cases-field-category = Categoría
cases-field-search = Búsqueda
cases-field-search-hint = (referencia; seudónimo, región y resumen cuando se comparten con usted)
cases-field-page = Página
cases-field-filters = Filtros
cases-show-cases = Mostrar casos
cases-clear-filters = Quitar los filtros
cases-count = { $filtered ->
    [yes] { $count ->
        [one] { $count } caso coincide con los filtros
       *[other] { $count } casos coinciden con los filtros
    }
   *[no] { $count ->
        [one] { $count } caso que usted puede ver
       *[other] { $count } casos que usted puede ver
    }
}
cases-col-reference = Referencia
cases-col-pseudonym = Seudónimo
cases-col-host-country = País anfitrión
cases-col-region = Región
cases-col-status = Estado
cases-col-risk = Riesgo
cases-col-categories = Categorías
cases-col-owner = Titular
cases-col-what-you-see = Lo que usted ve
cases-not-shared = no compartido
cases-none = No hay ningún caso que mostrar.
cases-first-page = Primera página
cases-next-page = Página siguiente

## Abrir un caso

cases-new-title = Abrir un caso
cases-new-intro = El caso pertenece a su país. Nadie más lo ve hasta que se registre el consentimiento de la persona defensora y usted lo comparta.
cases-field-pseudonym = Seudónimo
cases-field-pseudonym-hint = (nunca el nombre real de la persona defensora)
cases-choose-country = Elija el país
cases-field-region = Región
cases-field-region-hint = (opcional; aproximada, como una provincia)
cases-field-categories = Categorías
cases-field-categories-hint = (al menos una)
cases-field-risk-level = Nivel de riesgo
cases-choose-risk-level = Elija el nivel de riesgo
cases-choose-status = Elija el estado
cases-field-summary = Resumen
cases-field-summary-hint = (opcional; solo se comparte en el nivel Detalle)
cases-identity-legend = La identidad de la persona defensora
cases-identity-legend-hint = (opcional; cifrada, solo su país la lee y cada lectura queda registrada)
cases-field-legal-name = Nombre legal
cases-field-contact = Contacto
cases-field-location = Ubicación exacta
cases-field-notes = Notas
cases-new-submit = Abrir el caso
cases-this-form = Este formulario

## Un caso

cases-case-title = Caso { $reference }
cases-case-title-named = Caso { $reference }: { $pseudonym }
cases-all-cases = Todos los casos
cases-fact-what-you-see = Lo que usted ve
cases-fact-host-country = País anfitrión
cases-fact-status = Estado
cases-fact-risk = Riesgo
cases-fact-categories = Categorías
cases-fact-pseudonym = Seudónimo
cases-fact-region = Región
cases-not-given = No indicada
cases-fact-owner-country = País titular
cases-fact-opened = Abierto
cases-fact-last-changed = Último cambio
cases-summary-heading = Resumen

cases-identity-heading = La identidad de la persona defensora
cases-revealed-until = Revelada a su país hasta el { $until }.
cases-identity-audited = Esta lectura quedó registrada en el registro de auditoría.
cases-not-recorded = No registrado
cases-hide-identity = Ocultar la identidad
cases-show-identity-until = Mostrar la identidad (revelada hasta el { $until })
cases-show-identity = Mostrar la identidad de la persona defensora
cases-each-reading-audited = (cada lectura queda registrada en el registro de auditoría)

cases-locked-no-key-admin = Su país aún no tiene clave de identidad, por lo que no se pueden abrir identidades.
cases-locked-no-key = Su país aún no tiene clave de identidad, por lo que no se pueden abrir identidades. La configura una persona administradora de su país.
cases-locked-no-key-link = Configurar la clave de identidad de su país
cases-locked-not-custodian = Usted no custodia la clave de identidad de su país; una persona administradora puede concedérsela.
cases-locked-not-custodian-link = Ver quién custodia la clave
cases-locked-session = Su clave está bloqueada en esta sesión. Cierre la sesión y vuelva a iniciarla con su contraseña para desbloquearla.

## Solicitudes de revelación de identidad

cases-reveals-heading-owner = Solicitudes de revelación de la identidad
cases-reveals-heading-partner = Las solicitudes de identidad de su país
cases-reveals-none-owner = Ningún país socio ha solicitado la identidad.
cases-reveals-none-partner = Su país no ha solicitado la identidad.
cases-reveal-from = Solicitada por { $country }, el { $requested }: { $state }
cases-reveal-own = Solicitud del { $requested }: { $state }
cases-reveal-why-asked = Motivo de la solicitud
cases-reveal-decision = Decisión
cases-reveal-decision-at = Decisión del { $at }
cases-reveal-open-until = Abierta hasta
cases-reveal-decide-why = Motivo (ambos países lo leen)
cases-reveal-open-for = Si se aprueba, abierta durante
cases-reveal-approve = Aprobar
cases-reveal-deny = Denegar
cases-reveal-approve-hint = Aprobar sella la identidad con la clave del país solicitante hasta el vencimiento; puede revocarla en cualquier momento.
cases-reveal-revoke-why = Motivo de la revocación
cases-reveal-revoke = Revocar
cases-reveal-request-title = Solicitar la identidad
cases-reveal-request-hint = Deciden las personas que custodian la clave del país titular. Si aprueban, quienes custodian la clave de su país pueden abrir la identidad hasta la fecha que elijan.
cases-reveal-request-why = Por qué la necesita
cases-reveal-request-submit = Solicitar la identidad
cases-reveal-field-why = Motivo
cases-reveal-field-open-for = Abierta durante
cases-reveal-the-decision = La decisión
cases-reveal-revoking = Revocación

## Las audiencias del caso

cases-hearings-heading = Audiencias
cases-hearings-none = No hay ninguna audiencia que usted pueda ver.
cases-hearings-caption = Audiencias de este caso, las más próximas primero
cases-col-court-time = Hora del tribunal
cases-col-your-time = Su hora
cases-col-court = Tribunal
cases-col-observers = Observación
cases-col-change = Cambiar
cases-time-same = La misma que la del tribunal
cases-court-in-city = { $court }, { $city }
cases-confirmed-of = { $confirmed } de { $needed } confirmadas
cases-change = Cambiar
cases-change-hearing = Cambiar la audiencia del { $when }
cases-hearings-more = Solo se enumeran las primeras 50 audiencias; el calendario tiene las demás.
cases-schedule-hearing = Programar una audiencia
cases-assessment-link = Evaluación de la equidad del juicio (versión { $version })
cases-assessment-write = Redactar la evaluación de la equidad del juicio

cases-reports-heading = Denuncias de ataques vinculadas a este caso
cases-report-incident = { $reference }, incidente del { $date }

## Consentimiento

cases-consent-heading = El consentimiento de la persona defensora
cases-consent-share = Compartir con países socios:
cases-consent-trial = Observación del juicio:
cases-consent-public = Incidencia pública:
cases-consent-given = dado
cases-consent-not-given = no dado
cases-consent-given-by = Dado por: { $by }
cases-consent-given-by-at = Dado por: { $by }, registrado el { $at }
cases-consent-none = Todavía no hay consentimiento registrado.
cases-consent-form-title = Registrar el consentimiento
cases-consent-legend = La persona defensora consiente en
cases-consent-share-label = Compartir el caso con países socios
cases-consent-trial-label = La observación del juicio por parte del personal diplomático
cases-consent-public-label = La incidencia pública
cases-field-given-by = Dado por
cases-choose-giver = Elija quién lo dio
cases-consent-submit = Registrar el consentimiento
cases-consent-hint = Retirar el consentimiento para compartir suspende de inmediato todos los usos compartidos; retirar cualquiera de los dos consentimientos quita a los socios las audiencias y los puestos en los turnos de observación.
cases-choose-giver-error = Elija quién dio el consentimiento
cases-consent-field = Consentimiento

## Compartir

cases-shares-heading = Compartido con
cases-shares-nobody = Nadie: solo su país ve este caso.
cases-shares-caption = Países y coaliciones que ven este caso
cases-col-with = Con
cases-col-level = Nivel
cases-col-action = Acción
cases-stop-sharing-with = Dejar de compartir con { $target }
cases-members-still-see = Sus miembros siguen viendo el caso
cases-share-title = Compartir el caso
cases-field-share-with = Compartir con
cases-choose-share-target = Elija un país o una coalición
cases-countries-on-accord = Países en Accord
cases-coalitions = Coaliciones
cases-field-level = Nivel
cases-share-submit = Compartir
cases-share-hint = Compartir requiere el consentimiento de la persona defensora para compartir con socios. Volver a compartir con el mismo país cambia su nivel.
cases-sharing = Uso compartido

## Programar y cambiar una audiencia

cases-hearing-new-title = Programar una audiencia
cases-hearing-for-case = Para el caso { $reference }
cases-hearing-consent-missing = La persona defensora no ha consentido la observación del juicio: no se puede programar una audiencia hasta que ese consentimiento se registre en la página del caso.
cases-hearing-new-submit = Programar la audiencia
cases-hearing-edit-title = Cambiar una audiencia
cases-hearing-edit-heading = Cambiar la audiencia
cases-hearing-now = Actualmente
cases-hearing-of-case = Caso { $reference }
cases-open-hearing = Abrir la audiencia
cases-field-hearing-status-hint = (aplazar, cancelar o marcar como celebrada; una audiencia aplazada con una nueva fecha vuelve a quedar programada)
cases-hearing-edit-submit = Guardar los cambios
cases-hearing-edit-hint = Se informa a todas las personas del turno de observación de un nuevo inicio, un aplazamiento o una cancelación.
cases-this-hearing = Esta audiencia
cases-field-court = Tribunal
cases-field-city = Ciudad
cases-start-legend = Inicio, en la hora local del tribunal
cases-field-date = Fecha
cases-field-date-hint = (AAAA-MM-DD)
cases-field-time = Hora
cases-field-time-hint = (HH:MM, formato de 24 horas)
cases-field-deadline-time-hint = (HH:MM)
cases-field-timezone = Zona horaria del tribunal
cases-choose-timezone = Elija la zona horaria
cases-field-utc-offset = Desfase UTC
cases-field-utc-offset-hint = (solo cuando se atrasan los relojes y esa hora local ocurre dos veces, como +01:00)
cases-field-duration = Duración en minutos
cases-field-duration-short = Duración
cases-field-observers = Plazas de observación necesarias
cases-field-observers-hint = (de 0 a 50; reducirlo devuelve a la lista de espera las últimas plazas confirmadas)
cases-field-claims-close = Cierre de inscripciones
cases-field-claims-close-hint = (opcional, hora local del tribunal; si no, al inicio)
cases-whole-number = Introduzca un número entero
cases-choose-hearing-status = Elija un estado
cases-deadline-invalid = Introduzca una fecha (AAAA-MM-DD) y una hora (HH:MM) que existan en la zona horaria del tribunal

## Carencias de cobertura

cases-coverage-title = Carencias de cobertura
cases-coverage-intro = Audiencias programadas que aún necesitan observación, por país anfitrión.
cases-coverage-within = En los próximos
cases-coverage-within-field = Plazo
cases-coverage-show = Mostrar
cases-coverage-all-covered = { $count ->
    [one] Todas las audiencias programadas para el próximo día tienen su observación cubierta.
   *[other] Todas las audiencias programadas para los próximos { $count } días tienen su observación cubierta.
}
cases-coverage-caption = { $uncovered ->
    [one] { $uncovered } sin ninguna persona observadora
   *[other] { $uncovered } sin ninguna persona observadora
}, { $partial ->
    [one] { $partial } parcialmente cubierta
   *[other] { $partial } parcialmente cubiertas
}
cases-col-case = Caso
cases-col-coverage = Cobertura
cases-coverage-none-yet = Todavía sin persona observadora
cases-coverage-partly = Parcialmente cubierta
