# Declaraciones conjuntas y gestiones diplomáticas: la lista, una nueva
# declaración, una declaración, su revisión y la diferencia entre dos versiones.

## Confirmaciones tras un cambio.

statements-done-created = Se ha creado la declaración.
statements-done-revised = Se ha guardado su nueva versión.
statements-done-invited = Se ha enviado la invitación.
statements-done-uninvited = Se ha retirado al país de la declaración.
statements-done-approved = Se ha registrado la aprobación de su país.
statements-done-declined = Se ha registrado el rechazo de su país.
statements-done-withdrawn = Se ha retirado la aprobación de su país.
statements-done-finalized = La declaración es definitiva.
statements-done-delivered = Se ha registrado la entrega.

## Tipo de texto.

statements-kind-demarche = Gestión diplomática
statements-kind-public-statement = Declaración pública
statements-kind-press-release = Comunicado de prensa
statements-kind-letter = Carta

## Estado de una declaración.

statements-status-draft = Borrador (aún no se ha invitado a ningún país)
statements-status-circulating = En circulación para su firma
statements-status-final = Definitiva
statements-status-delivered = Entregada

## Función de un país en una declaración.

statements-role-lead = Coordinador
statements-role-co-penholder = Corredactor
statements-role-invited = Invitado

## Cómo se entregó una declaración definitiva al país anfitrión.

statements-channel-meeting = Reunión
statements-channel-note-verbale = Nota verbal
statements-channel-letter = Carta
statements-channel-publication = Publicación
statements-channel-press-conference = Conferencia de prensa
statements-channel-other = Otro

statements-unknown = Desconocido

## Respuesta de un país al texto.

statements-answer-approved = Versión { $version } aprobada
statements-answer-stale = Versión { $version } aprobada, un texto anterior: no es una aprobación del texto actual
statements-answer-declined = Rechazo
statements-answer-none = Aún sin respuesta
statements-answer-with-reason = { $answer }: { $reason }
statements-answer-now = Actualmente: { $answer }.

## Campos de los formularios (y etiquetas de los errores que se muestran junto a ellos).

statements-field-status = Estado
statements-field-kind = Tipo
statements-field-host = Destinatario
    .hint = (el país anfitrión)
statements-field-title = Título
statements-field-body = Texto
    .hint = (versión 1; se conservan los párrafos y los saltos de línea; { $max } caracteres como máximo)
statements-field-invited = Países invitados a firmar
    .hint = (opcional; puede invitar a más países más adelante)
statements-field-cases = Casos a los que se refiere
    .hint = (opcional)
statements-field-deadline = Plazo para firmar
    .hint = (opcional; fecha y hora en UTC)
statements-field-new-text = Nuevo texto
    .hint = ({ $max } caracteres como máximo)
statements-field-countries-to-invite = Países que invitar
statements-field-their-part = Su función
statements-field-participants = Participantes
statements-field-answer = Respuesta de su país
statements-field-reason = Motivo del rechazo
    .hint = (opcional; los demás países lo verán)
statements-field-finalize = Cerrar el texto
statements-field-delivered-at = Entregada el (UTC)
statements-field-channel = Forma de entrega
statements-field-from = Desde la versión
statements-field-to = Hasta la versión

## Errores en un formulario.

statements-error-datetime = debe ser una fecha y una hora (UTC)
statements-error-channel = indique cómo se entregó
statements-error-choose-kind = indique qué tipo de texto es
statements-error-case = no es un caso
statements-error-status = no es un estado
statements-error-kind = no es un tipo de texto
statements-error-version-number = debe ser un número de versión
statements-error-no-version = esa versión no existe

## La lista.

statements-title = Declaraciones
statements-intro = Las declaraciones conjuntas y gestiones diplomáticas que su país coordina o que está invitado a firmar.
statements-start-new = Preparar una nueva declaración
statements-filter = Filtrar las declaraciones
statements-any-status = Cualquier estado
statements-any-kind = Cualquier tipo
statements-any-country = Cualquier país
statements-show = Mostrar
statements-table-region = Declaraciones, zona desplazable
statements-total = { $total ->
    [one] { $total } declaración en total
   *[other] { $total } declaraciones en total
}
statements-total-paged = { $total ->
    [one] { $total } declaración en total, { $shown } en esta página
   *[other] { $total } declaraciones en total, { $shown } en esta página
}
statements-col-title = Título
statements-col-kind = Tipo
statements-col-status = Estado
statements-col-host = Destinatario
statements-col-lead = Coordinador
statements-col-your-country = Su país
statements-col-deadline = Plazo
statements-none-match = Ninguna declaración coincide.
statements-pages = Páginas de declaraciones
statements-first-page = Primera página
statements-next-page = Página siguiente
statements-no-deadline = Ninguno

## Una nueva declaración.

statements-new-title = Nueva declaración
statements-new-intro = Su país la coordina. Los países que invite reciben un aviso por correo electrónico, sin el texto.
statements-new-kind-hint = Una declaración pública o un comunicado de prensa sobre un caso requiere el consentimiento de la persona defensora para la incidencia pública.
statements-choose-country = Elija un país
statements-no-other-mission = Ningún otro país tiene aún una misión en Accord.
statements-create = Crear la declaración

## Una declaración.

statements-fact-lead = Coordinador
statements-fact-my-part = Función de su país
statements-fact-started = Iniciada el
statements-fact-finalized = Cerrada el
statements-fact-delivered = Entregada el
statements-fact-signatories = Firmantes
statements-delivered-how = { $when }, { $channel }
statements-current-heading = Versión { $version }, el texto actual
statements-written-by = Redactada por { $author }.
statements-revise-link = Revisar el texto
statements-revise-saved-as = (se guardará como versión { $version })
statements-approve = Aprobar la versión { $version }
statements-approve-hint = Usted aprueba exactamente el texto que se muestra arriba. Si cambia antes de que pulse el botón, no se aprueba nada y esta página se lo indica.
statements-decline = Rechazar
statements-withdraw = Retirar la aprobación
statements-participants-heading = Países participantes
statements-participants-region = Países participantes, zona desplazable
statements-participants-caption = La función de cada país y su respuesta
statements-col-country = País
statements-col-part = Función
statements-col-answer = Respuesta
statements-col-action = Acción
statements-remove = Retirar
statements-invite-heading = Invitar a países
statements-all-take-part = Todos los países con una misión en Accord ya participan.
statements-part-invited = Invitado a firmar
statements-part-co-penholder = Corredactor (también puede revisar el texto)
statements-invite = Invitar
statements-finalize-explain = Fija la versión { $version }; sus firmantes son los países que aprobaron exactamente esa versión. Es posible cuando todos los países han respondido o una vez vencido el plazo.
statements-finalize = Cerrar la versión { $version }
statements-deliver-heading = Registrar la entrega
statements-deliver-on = Entregada el
    .hint = (fecha y hora en UTC)
statements-deliver = Registrar la entrega
statements-export-heading = Exportar
statements-export = Descargar el texto definitivo (Markdown)
statements-export-hint = El texto definitivo y sus firmantes, para la nota verbal o el comunicado de prensa. Cada exportación queda registrada en el registro de auditoría.
statements-versions-heading = Versiones
statements-versions-region = Versiones, zona desplazable
statements-versions-caption = Todas las versiones, de la más antigua a la más reciente
statements-col-version = Versión
statements-col-written-by = Redactada por
statements-col-saved = Guardada el
statements-col-changes = Cambios
statements-changes-link = Cambios de la versión { $from } a la { $to }
statements-first-version = Primera versión
statements-compare-link = Comparar dos versiones
statements-all-link = Todas las declaraciones
statements-back = Volver a la declaración

## Revisión.

statements-revise-page-title = Revisar: { $title }
statements-revise-heading = Revisar «{ $title }»
statements-revise-intro = El texto actual es la versión { $current }. Su texto se guardará como versión { $next }; las aprobaciones de un texto anterior dejarán de contar.
statements-revise-kept = Redactada por { $author }. Su texto, abajo, se conserva tal como lo escribió; al guardarlo sustituye a este.
statements-revise-save = Guardar como versión { $version }

## Diferencia entre dos versiones.

statements-diff-page-title = Cambios: { $title }
statements-diff-heading = Cambios en «{ $title }»
statements-diff-choose = Elija las versiones que desea comparar
statements-diff-compare = Comparar
statements-diff-range = De la versión { $from } a la versión { $to }
statements-diff-same = Las dos versiones tienen el mismo texto.
statements-diff-counts = { $removed ->
    [one] { $removed } línea eliminada
   *[other] { $removed } líneas eliminadas
}, { $added ->
    [one] { $added } línea añadida
   *[other] { $added } líneas añadidas
}.
statements-diff-legend = Las líneas eliminadas aparecen tachadas y marcadas con −; las añadidas, marcadas con +.
statements-diff-hunk = Desde la línea { $line } de la versión { $version }
statements-diff-removed = eliminado:
statements-diff-added = añadido:
