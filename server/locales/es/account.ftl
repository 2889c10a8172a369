# Inicio de sesión, página de inicio, la cuenta propia.

home-title = Inicio
home-welcome = Le damos la bienvenida, { $name }
message-code = Código:

sign-in-title = Iniciar sesión
sign-in-email = Correo electrónico
sign-in-password = Contraseña
sign-in-email-missing = Escriba su dirección de correo electrónico
sign-in-password-missing = Escriba su contraseña
sign-in-email-or-password = Correo electrónico o contraseña
sign-in-wrong = El correo electrónico o la contraseña no son correctos

account-title = Su cuenta
account-password-title = Cambiar la contraseña
account-current-password = Contraseña actual
account-new-password = Contraseña nueva
account-new-password-hint = (al menos { $min } caracteres; lo mejor es una frase larga)
account-password-submit = Cambiar la contraseña
account-password-after = Sus demás sesiones terminan cuando cambia la contraseña; esta sigue abierta.
account-done-password = Se cambió su contraseña. Sus demás sesiones han terminado.
account-done-session-ended = Esa sesión ha terminado.
account-done-digest = Se guardó su ajuste del resumen de cobertura.
account-done-preferences = Se guardaron su idioma y su zona horaria.

account-reading-title = Idioma y zona horaria
account-language = Idioma
account-language-browser = El idioma de mi navegador
account-language-hint = Las páginas y los correos que Accord le envía se escriben en este idioma.
account-language-wrong = Elija uno de los idiomas de la lista
account-zone = Su zona horaria
account-zone-mission = La zona horaria de mi misión
account-zone-hint = La hora de una audiencia siempre se muestra en la zona horaria del tribunal; la suya aparece al lado cuando es distinta.
account-zone-wrong = Elija una zona horaria de la lista
account-save = Guardar

account-digest-title = Resumen de cobertura
account-digest-day-label = Enviarme por correo las próximas audiencias sin observadores los
account-digest-day = Día del resumen
account-digest-day-wrong = elija un día de la semana, o desactívelo
account-digest-hint = Desde las 07:00 en la zona horaria de su misión: cuántas audiencias de los próximos { $days } días que usted puede ver carecen de observadores, con enlaces. Nunca nombra un caso ni a una persona defensora.
account-digest-mondays = lunes
account-digest-tuesdays = martes
account-digest-wednesdays = miércoles
account-digest-thursdays = jueves
account-digest-fridays = viernes
account-digest-saturdays = sábados
account-digest-sundays = domingos
account-digest-off = Nunca (desactivado)

account-sessions-title = Dónde tiene la sesión iniciada
account-sessions-region = Sesiones abiertas
account-sessions-caption = Sesiones abiertas, las más recientes primero
account-sessions-opened = Abierta
account-sessions-how = Cómo
account-sessions-until = Hasta
account-sessions-action = Acción
account-sessions-this = (esta sesión)
account-sessions-end = Terminar
account-sessions-end-which = la sesión abierta el { $opened }
account-session-web = Web
account-session-web-on = Web: { $browser }
account-session-api = Token de API
account-sessions-method = Acceso con
account-session-method-password = Contraseña
account-session-method-password-totp = Contraseña y código de autenticación
account-session-method-password-recovery-code = Contraseña y código de recuperación
account-session-method-password-security-key = Contraseña y llave de seguridad
account-session-method-sso = Inicio de sesión único de su ministerio
account-sign-out-everywhere = Cerrar sesión en todas partes
account-sign-out-everywhere-hint = Termina todas las sesiones de arriba, incluida esta.
account-language-unknown = debe ser uno de los idiomas de Accord: { $languages }
account-session-browser-on = { $browser } en { $system }
account-session-headless = { $browser } (sin interfaz)
account-session-unknown-browser = Un navegador
