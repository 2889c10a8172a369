# Denuncias de ataque: el formulario que llena un enlace (o una misión, en
# nombre de una fuente), la lista, una denuncia y la atención que le da un
# país destinatario. Se leen en el teléfono: lenguaje sencillo.

## Confirmaciones después de un cambio

reports-done-filed = Su denuncia se registró y se envió a los países que eligió.
reports-done-acknowledged = Se acusó recibo de la denuncia.
reports-done-linked = La denuncia quedó vinculada al caso.
reports-done-closed = La atención de la denuncia quedó cerrada.

## Qué se hizo (uno por tipo de ataque)

reports-attack-killing = Asesinato o intento de asesinato
reports-attack-physical-attack = Agresión física
reports-attack-threat = Amenaza o intimidación
reports-attack-judicial-harassment = Acoso judicial
reports-attack-arbitrary-detention = Detención arbitraria
reports-attack-enforced-disappearance = Desaparición forzada
reports-attack-surveillance = Vigilancia
reports-attack-smear-campaign = Campaña de desprestigio
reports-attack-raid = Allanamiento o irrupción
reports-attack-travel-ban = Prohibición de viajar
reports-attack-digital-attack = Ataque digital
reports-attack-sexual-violence = Violencia sexual
reports-attack-other = Otro (explique qué en la descripción)

## Quién está detrás (uno por tipo de autor)

reports-perpetrator-state = Agentes del Estado (policía, ejército, poder judicial…)
reports-perpetrator-non-state-armed = Grupo armado no estatal
reports-perpetrator-corporation = Empresa
reports-perpetrator-private-security = Seguridad privada
reports-perpetrator-organized-crime = Crimen organizado
reports-perpetrator-private-individual = Particular
reports-perpetrator-unknown = No se sabe
reports-perpetrator-other = Otro (explique qué en la descripción)

## En qué punto está la respuesta de un país destinatario

reports-state-received = Recibida, sin acuse de recibo todavía
reports-state-acknowledged = Acuse de recibo enviado
reports-state-linked = Vinculada a un caso
reports-state-no-action = Cerrada: sin acción
reports-state-escalated = Cerrada: elevada a un nivel superior
reports-state-unknown = Desconocido

## El formulario de denuncia

reports-new-title = Denunciar un ataque
reports-new-intro = Lo que escriba aquí se envía solo a las embajadas de los países que usted elija. No escriba la dirección exacta de la persona defensora ni coordenadas de mapa.
reports-new-where-when = Dónde y cuándo
reports-field-host-country = País donde ocurrió
reports-choose-country = Elija un país
reports-field-region = Región
reports-field-region-hint = (opcional: una provincia o un departamento, nunca una dirección ni coordenadas)
reports-field-incident-date = Fecha del incidente
# La fecha se escribe año-mes-día.
reports-field-incident-date-hint = (año-mes-día, por ejemplo 2026-11-20)
reports-field-incident-time = Hora local
reports-field-incident-time-hint = (opcional, por ejemplo 21:40; indique también la zona horaria)
reports-field-timezone = Zona horaria del lugar
reports-optional = (opcional)
reports-timezone-none = No indicada
reports-zone-region = { $region ->
    [Africa] África
    [America] América
    [Antarctica] Antártida
    [Arctic] Ártico
    [Asia] Asia
    [Atlantic] Atlántico
    [Australia] Australia
    [Europe] Europa
    [Indian] Océano Índico
    [Pacific] Pacífico
   *[other] { $region }
}
reports-new-what-happened = Qué pasó
reports-field-attack-types = Qué se hizo
reports-choose-all = (marque todo lo que corresponda)
reports-field-perpetrator-types = Quién está detrás
reports-field-description = Qué pasó
reports-field-description-hint = (como máximo { $max } caracteres)
reports-field-priors = Denuncias anteriores sobre la misma persona defensora
reports-new-who-receives = Quién la recibe
reports-field-recipients = Enviar a
reports-field-recipients-hint = (países con embajada en Accord)
reports-own-country-receives = El país { $country } siempre recibe las denuncias que usted presenta en nombre de una fuente.
reports-field-consent = Consentimiento
# Debe decir exactamente: la persona atacada acepta que esta denuncia se
# comparta con los países elegidos arriba.
reports-consent-box = La víctima acepta que esta denuncia se comparta con estos países
reports-send = Enviar la denuncia
reports-send-once = Si presiona dos veces, se registra una sola denuncia.
reports-prior-choice = { $reference } · { $date } · { $country }
reports-field-form = Este formulario

## Lo que el formulario indica que falta o está mal

reports-error-choose-country = Elija el país
reports-error-enter-date = Escriba la fecha, por ejemplo 2026-11-20
reports-error-choose-attack = Marque al menos un tipo de ataque
reports-error-choose-perpetrator = Marque al menos una opción («No se sabe» si no se sabe)
reports-error-describe = Describa qué pasó
reports-error-choose-recipient = Marque al menos un país
reports-error-consent-missing = El consentimiento de la víctima es obligatorio: sin él no se guarda nada
reports-error-consent-required = se requiere el consentimiento de la víctima para compartir esta denuncia con los países elegidos
reports-error-prior-unknown = una de ellas no existe, o no está compartida con usted
reports-error-region-coordinates = debe ser una zona amplia (una provincia o un departamento), nunca coordenadas ni un enlace de mapa
reports-error-date-format = debe ser una fecha como 2026-11-20 (año-mes-día)
reports-error-date-too-early = no puede ser anterior al { $earliest }
reports-error-future = no puede estar en el futuro
reports-error-time-format = debe ser una hora como 21:40
reports-error-time-needs-zone = es obligatoria si indica la hora: elija la zona horaria del lugar (por ejemplo Asia/Manila)
reports-error-time-skipped = no existe ese día en { $zone } (los relojes se adelantan por el horario de verano)
reports-error-too-long = debe tener como máximo { $max } caracteres
reports-error-recipients-too-many = debe indicar como máximo { $max } países
reports-error-priors-too-many = debe indicar como máximo { $max } denuncias
reports-error-country-code = debe ser un código de país de dos letras, por ejemplo PH
reports-error-filter-date = debe ser una fecha como 2026-11-20 (año-mes-día)

## La lista de denuncias

reports-list-mine = Mis denuncias
reports-list-sent-to = Denuncias de ataque enviadas a { $country }
reports-list-all = Denuncias de ataque
reports-filter = Filtrar las denuncias
reports-filter-any-response = Cualquier respuesta
reports-filter-your-response = Respuesta de su país
reports-filter-any-state = Cualquier estado
reports-filter-kind = Tipo de ataque
reports-filter-any-kind = Cualquier tipo
reports-filter-country-code = Código de país
reports-filter-country-code-hint = (por ejemplo PH)
reports-filter-from = Desde el
reports-filter-to = Hasta el
reports-filter-from-label = Incidente desde el
reports-filter-to-label = Incidente hasta el
reports-filter-page = Página
reports-filter-button = Filtrar
reports-count = { $count ->
    [one] { $count } denuncia.
   *[other] { $count } denuncias.
}
reports-caption-mine = Las denuncias de su organización y lo que hizo cada país, de la más reciente a la más antigua
reports-caption-country = Denuncias enviadas a su país, de la más reciente a la más antigua
reports-col-report = Denuncia
reports-col-incident = Incidente
reports-col-where = Lugar
reports-col-what = Qué se hizo
reports-col-responses = Respuestas
reports-col-your-response = Respuesta de su país
reports-country-state = { $country }: { $state }
reports-pages = Páginas
reports-first-page = Primera página
reports-next-page = Página siguiente

## Una denuncia

reports-report-title = Denuncia { $reference }
reports-where = Lugar
reports-when = Fecha
reports-filed = Enviada
reports-place = { $country }, { $region }
reports-filed-by = { $when }, por { $organization }
reports-erased = La descripción se borró, como exigen las reglas de conservación.
reports-erased-on = La descripción se borró el { $date }, como exigen las reglas de conservación.
reports-linked-cases = Casos vinculados
reports-case-link = Caso { $reference }
reports-responses = Respuestas
reports-responses-caption = Lo que hizo cada país con esta denuncia
reports-col-country = País
reports-col-state = Estado
reports-col-note = Nota
reports-col-updated = Actualizado
reports-all = Todas las denuncias

## La atención que da un país destinatario

reports-triage-for = Atención por parte de { $country }
reports-triage-state = Respuesta de su país: { $state }.
reports-acknowledge = Acusar recibo
reports-note-for-reporter = Nota para quien envió la denuncia
reports-note-ack-hint = (opcional; la organización que la envió la lee)
reports-link-title = Vincular a un caso
reports-field-case = Caso
reports-field-case-hint = (la dirección o el identificador del caso, como en /cases/…)
reports-link-button = Vincular al caso
reports-close-title = Cerrar sin caso
reports-field-outcome = Resultado
reports-outcome-no-action = Sin acción
reports-outcome-escalated = Elevada a un nivel superior
reports-field-close = Cerrar
reports-close-button = Cerrar la atención
reports-error-choose-outcome = Elija cómo termina la atención
reports-error-not-case-id = no es un identificador de caso (cópielo de la dirección del caso, /cases/…)
reports-error-no-such-case = ese caso no existe, o no está compartido con su misión
reports-error-case-hidden = su misión no ve este caso en detalle, así que no puede vincular la denuncia a él
