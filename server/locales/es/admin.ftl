# Las páginas de administración de un país: las personas usuarias de la misión, las coaliciones, el registro de auditoría.

## Comunes a las tres páginas

admin-pager = Páginas
admin-pager-first = Primera página
admin-pager-next = Página siguiente
# Un rol que ya no se conoce.
admin-role-unknown = Desconocido

## Confirmaciones tras un cambio

admin-done-user-created = Se creó la cuenta. La persona ya puede iniciar sesión.
admin-done-user-deactivated = La cuenta está desactivada: sus sesiones terminaron y la persona no puede iniciar sesión.
admin-done-user-reactivated = La cuenta vuelve a estar activa: la persona puede iniciar sesión.
admin-done-coalition-created = Se creó la coalición.
admin-done-member-added = Se añadió el país a la coalición.
admin-done-member-removed = Se retiró el país de la coalición. Pierde el acceso de inmediato.

## Usuarios

admin-users-title = Usuarios
# El título: $country es el país de la administración («Canadá»).
admin-users-heading = Cuentas de las misiones ({ $country })
admin-users-count = { $count ->
    [one] { $count } cuenta
   *[other] { $count } cuentas
}. Al desactivar una cuenta, sus sesiones terminan de inmediato.
admin-users-caption = Cuentas, de la más antigua a la más reciente
admin-users-col-name = Nombre
admin-users-col-email = Correo electrónico
admin-users-col-role = Rol
admin-users-col-mission = Misión
admin-users-col-status = Estado
admin-users-col-action = Acción
# La fila de la persona que ha iniciado sesión.
admin-users-you = { $name } (usted)
admin-users-role-assessor = { $role }, evaluación de la equidad de los juicios
admin-users-active = Activa
admin-users-deactivated = Desactivada
# Botones: los lectores de pantalla oyen el nombre de la persona después del texto del botón.
admin-users-deactivate = Desactivar
admin-users-reactivate = Reactivar
admin-users-appoint = Encargar la evaluación
admin-users-dismiss = Retirar la evaluación
admin-users-new = Añadir una persona
admin-users-field-name = Nombre
admin-users-field-email = Correo electrónico
admin-users-field-password = Contraseña inicial
admin-users-password-hint = (al menos { $count } caracteres; entréguela en persona)
admin-users-field-role = Rol
admin-users-field-mission = Misión
admin-users-mission-hint = (diplomacia, coordinación y administración)
admin-users-choose-mission = Elija una misión
admin-users-field-organization = Organización
admin-users-organization-hint = (solo enlaces)
admin-users-choose-organization = Elija una organización
admin-users-submit = Añadir a la persona

## Coaliciones

admin-coalitions-title = Coaliciones
admin-coalitions-count = { $count ->
    [one] { $count } coalición que su país convoca o de la que forma parte
   *[other] { $count } coaliciones que su país convoca o de las que forma parte
}. Un caso compartido con una coalición llega a sus miembros; un país retirado pierde el acceso de inmediato.
# $host y $convener son países.
admin-coalitions-where = País anfitrión: { $host }; convocada por: { $convener }.
admin-coalitions-members-caption = Miembros de { $coalition }
admin-coalitions-col-country = País
admin-coalitions-col-action = Acción
# El país que convoca la coalición, en su lista de miembros.
admin-coalitions-convener = { $country } (país convocante)
# El botón muestra «Retirar»; `.hidden` lo sigue para los lectores de pantalla.
admin-coalitions-remove = Retirar
    .hidden = { $country } de { $coalition }
admin-coalitions-add-label = País que añadir a { $coalition }
# El botón muestra «Añadir»; `.hidden` lo sigue para los lectores de pantalla.
admin-coalitions-add = Añadir
    .hidden = el país a { $coalition }
admin-coalitions-new = Convocar una nueva coalición
admin-coalitions-field-name = Nombre
admin-coalitions-field-host = País anfitrión
admin-coalitions-choose-country = Elija un país
admin-coalitions-field-members = Miembros
admin-coalitions-members-hint = (su país siempre es uno de ellos)
admin-coalitions-submit = Crear la coalición
# La etiqueta de un rechazo que afecta a todo el formulario de nueva coalición.
admin-coalitions-new-form = Nueva coalición
admin-coalitions-field-add = País que añadir

## Registro de auditoría

admin-audit-title = Registro de auditoría
admin-audit-filter = Filtrar el registro de auditoría
admin-audit-field-action = Acción
admin-audit-every-action = Todas las acciones
admin-audit-filter-submit = Filtrar
admin-audit-count = { $count ->
    [one] { $count } evento
   *[other] { $count } eventos
}.
admin-audit-caption = Eventos sobre los objetos de su país o realizados por personas de su país, del más reciente al más antiguo
admin-audit-col-when = Fecha
admin-audit-col-action = Acción
admin-audit-col-by = Por
admin-audit-col-object = Objeto
admin-audit-col-country = País
admin-audit-col-detail = Detalle
# Quién actuó, cuando no fue una persona.
admin-audit-by-accord = El propio Accord
admin-audit-by-user-of = una persona ({ $country })
admin-audit-by-other-country = una persona de otro país

## Las acciones registradas, tal como las nombra el registro de auditoría (el código se muestra al lado).

admin-action-login-succeeded = Inicio de sesión correcto
admin-action-login-failed = Inicio de sesión fallido
admin-action-login-locked = Inicio de sesión bloqueado
admin-action-token-refreshed = Token renovado
admin-action-refresh-token-reused = Token de renovación reutilizado
admin-action-logged-out = Sesión cerrada
admin-action-logged-out-everywhere = Sesión cerrada en todos los dispositivos
admin-action-password-changed = Contraseña cambiada
admin-action-operator-bootstrapped = Cuenta de operación inicializada
admin-action-mission-created = Misión creada
admin-action-user-created = Cuenta creada
admin-action-user-deactivated = Cuenta desactivada
admin-action-user-reactivated = Cuenta reactivada
admin-action-organization-created = Organización creada
admin-action-coalition-created = Coalición creada
admin-action-coalition-member-added = Miembro añadido a la coalición
admin-action-coalition-member-removed = Miembro retirado de la coalición
admin-action-case-created = Caso creado
admin-action-case-updated = Caso modificado
admin-action-consent-recorded = Consentimiento registrado
admin-action-case-shared = Caso compartido
admin-action-case-unshared = Se dejó de compartir el caso
admin-action-identity-read = Identidad consultada
admin-action-identity-keys-rotated = Claves de identidad renovadas
admin-action-hearing-scheduled = Audiencia programada
admin-action-hearing-updated = Audiencia modificada
admin-action-roster-claimed = Puesto tomado en el turno de observación
admin-action-roster-released = Puesto liberado en el turno de observación
admin-action-roster-claim-suspended = Puesto en el turno de observación suspendido
admin-action-observation-submitted = Observación enviada
admin-action-observation-amended = Observación modificada
admin-action-calendar-token-issued = Enlace de calendario emitido
admin-action-calendar-token-revoked = Enlace de calendario revocado
admin-action-attack-report-submitted = Denuncia de ataque enviada
admin-action-attack-report-acknowledged = Acuse de recibo de la denuncia de ataque
admin-action-attack-report-linked = Denuncia de ataque vinculada a un caso
admin-action-attack-report-closed = Denuncia de ataque cerrada
admin-action-attack-report-description-erased = Descripción de la denuncia de ataque borrada
admin-action-statement-created = Declaración creada
admin-action-statement-revised = Declaración revisada
admin-action-statement-invited = País invitado a firmar la declaración
admin-action-statement-uninvited = Invitación a firmar la declaración retirada
admin-action-statement-approved = Declaración aprobada
admin-action-statement-declined = Declaración rechazada
admin-action-statement-approval-withdrawn = Aprobación de la declaración retirada
admin-action-statement-finalized = Declaración finalizada
admin-action-statement-delivered = Declaración entregada
admin-action-statement-exported = Declaración exportada
admin-action-statement-deadline-reminded = Recordatorio del plazo de la declaración
admin-action-identity-key-created = Clave de identidad creada
admin-action-identity-key-rotated = Clave de identidad renovada
admin-action-identity-key-recovered = Clave de identidad recuperada
admin-action-identity-key-destroyed = Clave de identidad destruida
admin-action-identities-resealed = Identidades selladas de nuevo
admin-action-identity-access-granted = Acceso a la clave de identidad concedido
admin-action-identity-access-revoked = Acceso a la clave de identidad revocado
admin-action-identity-reveal-requested = Revelación de identidad solicitada
admin-action-identity-reveal-approved = Revelación de identidad aprobada
admin-action-identity-reveal-denied = Revelación de identidad denegada
admin-action-identity-reveal-revoked = Revelación de identidad revocada
admin-action-coverage-digest-set = Resumen de audiencias sin observación configurado
admin-action-assessor-appointed = Persona evaluadora designada
admin-action-assessor-dismissed = Persona evaluadora cesada
admin-action-fairness-assessment-written = Evaluación de la equidad redactada
admin-action-fairness-assessment-shared = Evaluación de la equidad compartida
admin-action-fairness-assessment-unshared = Se dejó de compartir la evaluación de la equidad
admin-action-fairness-assessment-exported = Evaluación de la equidad exportada
admin-action-claim-offered = Puesto ofrecido
admin-action-claim-offer-accepted = Oferta de puesto aceptada
admin-action-claim-offer-declined = Oferta de puesto rechazada
admin-action-claim-offer-withdrawn = Oferta de puesto retirada
admin-action-claim-offer-expired = Oferta de puesto vencida
admin-action-claim-offer-cancelled = Oferta de puesto cancelada
admin-action-preferences-set = Idioma o zona horaria elegidos
admin-action-sso-configured = Inicio de sesión único configurado
admin-action-sso-removed = Inicio de sesión único eliminado
admin-action-sso-sign-in-succeeded = Sesión iniciada mediante inicio de sesión único
admin-action-sso-sign-in-failed = Inicio de sesión único rechazado
admin-action-sso-subject-set = Identificador de inicio de sesión único registrado
admin-action-totp-enrolled = Aplicación de autenticación activada
admin-action-totp-removed = Aplicación de autenticación desactivada
admin-action-recovery-codes-regenerated = Códigos de recuperación sustituidos
admin-action-second-factor-passed = Segundo paso del inicio de sesión superado
admin-action-second-factor-failed = Segundo paso del inicio de sesión fallido
admin-action-second-factor-locked = Segundo paso del inicio de sesión bloqueado tras demasiados fallos
admin-action-recovery-code-used = Código de recuperación usado para iniciar sesión
admin-action-mission-second-factor-set = Requisito de inicio de sesión en dos pasos modificado para la misión
admin-action-password-reset-requested = Enlace de restablecimiento de contraseña solicitado
admin-action-password-reset-completed = Contraseña restablecida mediante un enlace
admin-action-password-reset-forced = Restablecimiento de contraseña impuesto
admin-action-email-change-requested = Cambio de dirección de correo electrónico solicitado
admin-action-email-changed = Dirección de correo electrónico cambiada
admin-action-security-key-added = Llave de seguridad añadida
admin-action-security-key-removed = Llave de seguridad retirada
admin-action-security-key-clone-suspected = Llave de seguridad rechazada: posiblemente copiada
