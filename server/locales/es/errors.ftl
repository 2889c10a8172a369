# Rechazos: por qué el servicio dijo que no, y las páginas que lo dicen.

# Why an input was refused. The API says "<field>: <reason>"; a page shows the reason beside the field. Reasons start in lower case and follow the field's name.
sso-issuer-not-allowed = debe ser una dirección https sin consulta ni fragmento (http simple solo hacia esta máquina, en desarrollo)
sso-issuer-unreachable = no responde con un documento de descubrimiento OpenID Connect válido
sso-issuer-mismatch = responde con un documento de descubrimiento que nombra a otro emisor
sso-issuer-leaves-origin = dirige sus claves o su punto de tokens fuera de la dirección del emisor, o redirige
input-must-not-be-empty = no debe estar vacío
input-too-long = debe tener como máximo { $max } { $max ->
        [one] carácter
       *[other] caracteres
    }
input-too-short = debe tener al menos { $min } { $min ->
        [one] carácter
       *[other] caracteres
    }
input-between = debe estar entre { $min } y { $max }
input-from-to = debe ser de { $min } a { $max }
input-within-days = debe caer dentro de { $max } { $max ->
        [one] día
       *[other] días
    }
input-must-not-contain-control-characters = no debe contener caracteres de control
input-must-not-contain-invisible-or = no debe contener caracteres invisibles ni caracteres que cambien la dirección del texto (como U+200B o U+202E)
input-must-be-an-iana-time = debe ser el nombre de una zona horaria IANA, por ejemplo Asia/Manila
input-must-be-an-email-address = debe ser una dirección de correo electrónico
input-must-be-an-iso-3166 = debe ser un código de país ISO 3166-1 alfa-2 (por ejemplo CA o NL) o EU
input-no-country-has-approved-the = ningún país ha aprobado la versión actual
input-not-all-answered = { $count ->
        [one] { $count } país participante no ha respondido
       *[other] { $count } países participantes no han respondido
    } a la versión actual: { $countries }; finalice { $when ->
        [ahead] cuando todos hayan respondido o después de la fecha límite ({ $deadline })
       *[none] cuando todos hayan respondido (la declaración no tiene fecha límite)
    }
input-must-be-a-utc-offset = debe ser un desfase respecto de UTC, por ejemplo +02:00
input-must-be-a-local-date = debe ser una fecha y hora locales sin desfase, por ejemplo 2026-12-01T09:30:00
input-local-time-skipped = no existe en { $zone } (los relojes se saltan esa hora con el horario de verano)
input-local-time-twice = localStart ocurre dos veces en { $zone } (los relojes se atrasan): indique utcOffset { $first } o { $second }
input-offset-not-in-force = no está vigente en { $zone } a esa hora local
input-cannot-be-resolved = no se puede determinar
input-report-transition = no se puede { $step ->
        [acknowledge] acusar recibo de una denuncia
        [link] vincular una denuncia
       *[close] cerrar una denuncia
    } cuya respuesta de su país es { $state }{ $state ->
        [RECEIVED] {" "}(acuse recibo primero)
        [ACKNOWLEDGED] {""}
       *[other] {" "}(su clasificación está cerrada)
    }
input-must-be-a-date-such = debe ser una fecha, por ejemplo 2026-11-20
input-not-before = no debe ser anterior al { $date }
input-not-in-the-future = no debe estar en el futuro
input-in-the-future = debe estar en el futuro
input-is-required-with-incidenttime-the = es obligatorio con incidentTime (la zona IANA del lugar, por ejemplo Asia/Manila)
input-must-be-a-time-such = debe ser una hora, por ejemplo 21:40
input-time-skipped-on-date = no existe en esa fecha en { $zone } (los relojes se saltan esa hora con el horario de verano)
input-must-be-access-denied-exactly = debe ser ACCESS_DENIED exactamente cuando el acceso a la sala era DENIED
input-must-be-empty-when-courtroom = debe estar vacío cuando el acceso a la sala era DENIED
input-only-for-an-adjourned-hearing = solo para una audiencia aplazada (indique adjourned)
input-name-at-least-one-standard = indique al menos una norma aplicada
input-cite-at-most = cite como máximo { $max } { $max ->
        [one] observación
       *[other] observaciones
    }
input-is-not-an-observation-of = no es una observación de este juicio
input-not-an-id = no es un identificador { $kind ->
        [User] de usuario/a
        [Mission] de misión
        [Organization] de organización
        [Coalition] de coalición
        [Case] de caso
        [Hearing] de audiencia
        [RosterClaim] de inscripción en el turno de observación
        [Observation] de observación
        [AttackReport] de denuncia de ataque
        [Statement] de declaración
        [Session] de sesión
        [IdentityReveal] de solicitud de revelación
       *[ClaimOffer] de oferta de plaza en el turno de observación
    }
input-is-not-a-valid-cursor = no es un cursor válido
input-answer-too-large = la respuesta superaría { $max } bytes, lo máximo que puede llevar una respuesta o un evento WebSocket (ACCORD_MAX_RESPONSE_BYTES), y no se envió; pida menos campos o alias, o un `first:` más pequeño (los cambios de una mutación se hicieron de todos modos)
input-once-credential = solo un login, refreshToken o changePassword por solicitud
input-once-diff = solo un diff por solicitud; pida el siguiente en otra solicitud
input-once-export = solo un exportMarkdown por solicitud; pida el siguiente en otra solicitud
input-must-offer-graphql-transport-ws = debe ofrecer graphql-transport-ws
input-must-be-application-json = debe ser application/json
input-body-is-a-batch = es un lote (un arreglo JSON); no se aceptan lotes: envíe una solicitud ({"{"}"query": …{"}"}) por POST
input-body-not-one-request = debe ser una sola solicitud GraphQL: un objeto JSON como {"{"}"query": …{"}"}
input-body-not-json = no es JSON válido; envíe una solicitud GraphQL ({"{"}"query": …{"}"})
input-body-too-large = el cuerpo de la solicitud supera el límite de { $max } bytes ({ $kib } KiB)
input-the-request-body-ended-before = el cuerpo de la solicitud terminó antes de la longitud anunciada
input-is-not-a-report = no es una denuncia
input-is-not-a-country-on = no es un país presente en Accord
input-is-not-shared-with-you = no está compartido con usted
input-not-one-of-the-choices = no es una de las opciones
input-no-such-coalition = esa coalición no existe
input-choose-a-country-or-a = elija un país o una coalición
input-choose-how-much-to-share = elija cuánto compartir
input-choose-to-approve-or-to = elija aprobar o rechazar
input-choose-a-member = elija a un miembro
input-choose-a-role = elija un rol
input-choose-one-from-the-list = elija uno de la lista
input-must-not-be-before-from = no debe ser anterior a from
input-you-cannot-change-your-own = no puede cambiar el estado de su propia cuenta
input-only-diplomats-coordinators-and-admins = solo el personal diplomático, de coordinación y de administración puede evaluar
input-give-exactly-one-of-country = indique exactamente uno de country o coalitionId
input-no-such-version = esa versión no existe
input-you-hold-no-claim-on = usted no tiene plaza en esta audiencia
input-name-an-attack-type = debe indicar al menos un tipo de ataque
input-name-a-perpetrator-type = debe indicar al menos un tipo de autor (UNKNOWN si no se conoce)
input-must-be-a-coarse-area = debe ser una zona amplia (una provincia o un distrito), nunca coordenadas ni un enlace de mapa
input-name-a-country = debe indicar al menos un país
input-at-most-countries = debe indicar como máximo { $max } { $max ->
        [one] país
       *[other] países
    }
input-at-most-reports = debe indicar como máximo { $max } { $max ->
        [one] denuncia
       *[other] denuncias
    }
input-at-most-cases = debe indicar como máximo { $max } { $max ->
        [one] caso
       *[other] casos
    }
input-is-required-to-link-a = es obligatorio para vincular una denuncia
input-name-a-category = debe indicar al menos una categoría
input-the-case-already-belongs-to = el caso ya pertenece a ese país
input-the-case-is-not-shared = el caso no está compartido con él
input-you-cannot-take-your-own = no puede aceptar su propia oferta
input-offer-your-place-to-someone = ofrezca su plaza a otra persona, o retire su inscripción
input-has-no-key-yet-they = aún no tiene clave: la persona recibirá una la próxima vez que inicie sesión
input-your-country-s-identities-wait = las identidades de su país esperan bajo una clave de migración: indique el código de reclamación que entregó el equipo operador
input-there-is-no-migration-key = no hay ninguna clave de migración que reclamar para su país
input-does-not-open-your-country = no abre la clave de su país
input-only-diplomats-coordinators-and-admins-may = solo el personal diplomático, de coordinación y de administración puede custodiar la clave
input-does-not-hold-your-country = no custodia la clave de su país
input-loss-warning = debe ser true: si todos los miembros que custodian la clave olvidan su contraseña y se pierde la clave de recuperación, todas las identidades de su país se pierden para siempre; nadie, ni siquiera el equipo operador, puede abrirlas
input-must-differ-from-the-current = debe ser distinta de la contraseña actual
input-is-not-your-current-password = no es su contraseña actual
input-link-no-longer-valid = este enlace ya no es válido: solicite uno nuevo
input-is-already-your-email = ya es su dirección de correo electrónico
input-must-be-invited-or-co = debe ser INVITED o CO_PENHOLDER
input-statement-at-most-invited = una declaración tiene como máximo { $max } { $max ->
        [one] país invitado
       *[other] países invitados
    }
input-country-leads-statement = { $country } encabeza esta declaración
input-the-lead-country-cannot-be = el país que encabeza no se puede retirar
input-your-country-has-no-approval = su país no tiene ninguna aprobación que retirar
input-must-not-be-before-the = no debe ser anterior a la finalización de la declaración
input-must-say-why = debe indicar el motivo
input-your-country-owns-this-case = su país es propietario de este caso: quienes custodian su clave abren la identidad
input-an-approval-needs-an-expiry = una aprobación necesita una caducidad: indique expiresAt o validForDays, no ambos
input-this-country-already-has-a = este país ya tiene una misión con ese nombre
input-second-factor-not-enrolled = no hay ninguna aplicación de autenticación configurada para esta cuenta
input-second-factor-code-wrong = este código es incorrecto, ya se usó o es demasiado antiguo
input-second-factor-recovery-code-wrong = este código de recuperación es incorrecto o ya se usó
input-second-factor-code-or-recovery = indique un código de la aplicación de autenticación o un código de recuperación
input-must-be-on-or-off = debe ser on u off
input-is-already-in-use = ya está en uso
input-no-such-mission = esa misión no existe
input-diplomats-coordinators-and-admins-need = el personal diplomático, de coordinación y de administración necesita un missionId y ningún organizationId
input-no-such-organization = esa organización no existe
input-liaisons-need-an-organizationid-and = los enlaces necesitan un organizationId y ningún missionId
input-an-organization-with-that-name = ya existe una organización con ese nombre en este país anfitrión
input-your-country-already-convenes-a = su país ya convoca una coalición con ese nombre
input-coalition-at-most-countries = como máximo { $max } { $max ->
        [one] país
       *[other] países
    }
input-is-not-a-member-of = no es miembro de esta coalición
input-the-convening-country-cannot-leave = el país que convoca la coalición no puede abandonarla
input-no-mission-on-accord = { $country } no tiene misión en Accord
input-the-owner-country-always-sees = el país propietario siempre ve su evaluación
input-must-not-be-after-the = no debe ser posterior al inicio de la audiencia
input-the-hearing-has-not-started = la audiencia aún no ha comenzado

# Why a change clashes with the current state (CONFLICT). A page shows it inside errors-conflict.
conflict-conflicts-with-an-existing-record = entra en conflicto con un registro existente
conflict-totp-already-on = ya hay una aplicación de autenticación configurada; retírela primero
conflict-totp-no-enrolment = ninguna aplicación de autenticación espera confirmación; vuelva a empezar
conflict-totp-not-on = no hay ninguna aplicación de autenticación configurada
conflict-second-factor-required = el inicio de sesión en dos pasos es obligatorio para usted; no se puede desactivar
conflict-the-statement-is-final-nothing = la declaración es definitiva; ya nada la modifica
conflict-the-statement-is-not-final = la declaración aún no es definitiva; solo se exporta un texto definitivo
conflict-statement-versions-full = una declaración tiene como máximo { $max } versiones y esta está llena; empiece una nueva declaración con el texto
conflict-submission-key-used = submissionKey ya se usó para otra denuncia; use una clave nueva para una denuncia nueva
conflict-reference-already-taken = referencia ya utilizada
conflict-the-response-changed-meanwhile-reload = la respuesta cambió mientras tanto; recargue y vuelva a intentarlo
conflict-offer-not-open = la oferta ya no está abierta (está { $state ->
        [ACCEPTED] aceptada
        [DECLINED] rechazada
        [WITHDRAWN] retirada
        [EXPIRED] vencida
        [CANCELLED] cancelada
       *[OPEN] abierta
    })
conflict-colleague-offers-waiting = esta persona ya tiene { $max } ofertas a la espera de respuesta
conflict-your-place-is-already-on = su plaza ya está ofrecida; retire primero esa oferta
conflict-the-offered-place-is-no = la plaza ofrecida ya no está ocupada
conflict-already-hold-claim = usted ya tiene una plaza en esta audiencia
conflict-too-many-claims = usted ya tiene plazas en { $max } audiencias abiertas; libere primero una
conflict-overlapping-claim = usted ya tiene una plaza en una audiencia con un horario que se superpone
conflict-the-requesting-country-has-no = el país solicitante ya no tiene clave de identidad
conflict-your-country-already-has-an = su país ya tiene una clave de identidad
conflict-your-country-already-has-an-identity = su país ya tiene una clave de identidad; rótela en su lugar
conflict-the-last-custodian-keeps-the = quien custodia la clave en último lugar la conserva: entréguela primero a otro miembro
conflict-email-address-taken = otra cuenta ya utiliza esta dirección de correo electrónico
conflict-only-a-final-not-yet = solo una declaración definitiva aún no entregada puede marcarse como entregada
conflict-this-case-has-had-too = este caso ha recibido demasiadas solicitudes de revelación
conflict-your-country-already-has-an-open = su país ya tiene una solicitud abierta para este caso
conflict-that-country-no-longer-sees = ese país ya no ve este caso en detalle
conflict-this-request-was-already-decided = esta solicitud ya se resolvió
conflict-only-a-running-approval-can = solo se puede revocar una aprobación vigente
conflict-that-country-is-already-a = ese país ya es miembro
conflict-coalition-full = una coalición tiene como máximo { $max } miembros además del país que la convoca
conflict-assessment-versions = una evaluación conserva como máximo { $max } versiones
conflict-hearing-status = una audiencia { $from } no puede pasar a { $to }
conflict-you-already-submitted-your-observation = usted ya envió su observación de esta audiencia; modifíquela (amendObservation) para corregirla
conflict-the-hearing-was-cancelled = la audiencia se canceló
conflict-observation-amended-max = esta observación se modificó { $max } veces, el máximo permitido
conflict-hearing-observations-max = la audiencia tiene { $max } observaciones, el máximo permitido

# What the defender's consent does not cover (CONSENT_REQUIRED).
consent-the-defender-has-withdrawn-consent = la persona defensora retiró su consentimiento a la observación del juicio
consent-the-victim-s-consent-to = se requiere el consentimiento de la víctima para compartir esta denuncia con los países elegidos
consent-the-defender-has-not-consented = la persona defensora no consintió en compartir este caso con socios
consent-a-linked-case-has-no = un caso vinculado no tiene consentimiento para la incidencia pública; una declaración pública sobre él no se puede finalizar, entregar ni exportar
consent-the-defender-has-not-consented-to = la persona defensora no consintió la incidencia pública
consent-the-defender-has-not-consented-to-trial = la persona defensora no consintió la observación del juicio

# Why no roster place can be had (SLOT_UNAVAILABLE).
slot-the-offer-has-expired = la oferta venció
slot-hearing-not-open = la audiencia no admite inscripciones (aplazada, celebrada o cancelada)
slot-claim-deadline-passed = el plazo de inscripción ha vencido

# Why a defender's identity stays sealed for this reader (IDENTITY_LOCKED).
locked-no-country-key = las identidades están bloqueadas: su país aún no tiene clave de identidad; una persona administradora de su país la configura
locked-not-a-custodian = las identidades están bloqueadas: usted no custodia la clave de identidad de su país; una persona administradora de su país puede concedérsela
locked-session-locked = las identidades están bloqueadas en esta sesión: vuelva a iniciar sesión con su contraseña para desbloquearlas

# Refusals as pages: the title, the sentence and the way back.
errors-title-sign-in = Inicie sesión
errors-title-forbidden = No permitido
errors-title-not-found = No encontrado
errors-title-bad-input = Revise lo que escribió
errors-title-conflict = Esto ha cambiado
errors-title-consent = Se requiere consentimiento
errors-title-slot = No hay plazas disponibles
errors-title-identity-locked = Identidad bloqueada
errors-title-sso-required = Inicie sesión a través de su ministerio
errors-sso-required = Su misión solo permite iniciar sesión a su personal mediante su inicio de sesión único. Utilice el enlace de inicio de sesión que le entregó su administrador.
errors-title-rate-limited = Espere, por favor
errors-title-unavailable = Vuelva a intentarlo en un momento
errors-title-internal = Algo salió mal
errors-sign-in-again = Vuelva a iniciar sesión.
errors-forbidden = Su rol no lo permite.
errors-not-found = Esto no existe, o no está (o ya no está) compartido con usted.
# The field's name (as the API names it) and why it was refused.
errors-bad-input = { $field }: { $reason }
errors-conflict = Esto choca con el estado actual: { $reason }.
errors-stale-version = Esa ya no es la versión actual; la versión actual es la { $current }. No se cambió nada.
errors-consent-required = El consentimiento de la persona defensora no cubre esto: { $reason }.
errors-slot-unavailable = No se puede obtener ninguna plaza: { $reason }.
# $reason is one of the locked-… sentences, its first letter in upper case.
errors-identity-locked = { $reason }.
errors-second-factor-required = Se necesita un segundo paso para iniciar sesión. Inicie sesión de nuevo.
errors-rate-limited = Demasiados intentos. Vuelva a intentarlo dentro de { $seconds } { $seconds ->
        [one] segundo
       *[other] segundos
    }.
errors-unavailable = Accord no puede acceder a su base de datos en este momento. No se cambió nada. Vuelva a intentarlo dentro de { $seconds } { $seconds ->
        [one] segundo
       *[other] segundos
    }.
errors-internal = Algo salió mal por nuestra parte. Nada de lo que escribió se mostró a nadie; vuelva a intentarlo.
errors-back-to-start = Volver a la página de inicio
# The label of a form's error that belongs to no one field.
errors-this-form = Este formulario
errors-too-large-title = Demasiado para enviar de una vez
errors-too-large = Lo que envió supera lo que Accord acepta en un formulario. No se guardó nada; acórtelo y vuelva a intentarlo.
errors-timeout-title = Esto tardó demasiado
errors-timeout = Accord detuvo esta solicitud porque tardaba demasiado. Si estaba cambiando algo, compruebe si se guardó antes de volver a intentarlo.
errors-cross-site-title = Rechazado: esto venía de otro sitio
errors-cross-site-only-own-pages = Accord solo acepta cambios hechos desde sus propias páginas. No se cambió nada.
errors-cross-site-open-directly = Si usó un marcador o el botón de otro sitio, abra Accord directamente y vuelva a intentarlo.
errors-open-accord = Abrir Accord

# Security keys (WebAuthn).
input-security-keys-unavailable = las llaves de seguridad no pueden usarse en este servidor: su dirección pública debe ser un nombre de dominio
input-security-key-not-accepted = la respuesta de la llave de seguridad no fue aceptada; inténtelo de nuevo
input-security-key-start-again = tardó demasiado o ya se utilizó; vuelva a empezar
input-security-key-name-length = debe tener de 1 a { $max } caracteres
input-no-security-key = usted no tiene ninguna llave de seguridad
conflict-security-key-limit = ya tiene { $max } llaves de seguridad; retire una primero
conflict-security-key-already-registered = esta llave de seguridad ya está registrada
