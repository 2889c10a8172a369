# Recovery pages: forgot password, the reset page a link opens, an email
# change and an admin's forced reset.

recovery-forgot-link = ¿Olvidó su contraseña?
recovery-forgot-title = Contraseña olvidada
recovery-forgot-intro = Indique la dirección de correo electrónico de su cuenta. Si una cuenta la utiliza, se enviará allí un enlace para elegir una nueva contraseña; funciona una sola vez, en los próximos 30 minutos.
recovery-forgot-submit = Enviarme un enlace
recovery-back-to-sign-in = Volver al inicio de sesión
recovery-done-reset-requested = Si una cuenta utiliza esta dirección, el enlace está en camino. Revise su bandeja de entrada.
recovery-reset-title = Elija una nueva contraseña
recovery-reset-identity-warning = Las identidades que usted podía abrir seguirán cerradas tras este restablecimiento, hasta que un administrador de su misión le conceda de nuevo el acceso: su clave estaba protegida por su contraseña anterior.
recovery-reset-last-custodian = Usted es la única persona que tiene la clave de su país: hasta que un administrador conceda de nuevo el acceso, solo la clave de recuperación abre las identidades de su país.
recovery-reset-submit = Guardar la nueva contraseña
recovery-reset-after = Todas sus sesiones se cerrarán, en todos los dispositivos; después inicie sesión con la nueva contraseña.
recovery-done-password-reset = Su contraseña quedó establecida. Inicie sesión con ella.
recovery-link-invalid-title = Este enlace ya no es válido
recovery-link-invalid = El enlace es desconocido, ya se utilizó, fue sustituido por uno más reciente o caducó. Solicite uno nuevo.
recovery-ask-again = Solicitar un nuevo enlace
recovery-email-change-title = Dirección de correo electrónico
recovery-new-email = Nueva dirección de correo electrónico
recovery-email-change-submit = Cambiar la dirección
recovery-email-change-hint = Se envía un enlace de confirmación a la nueva dirección (funciona una sola vez, en las próximas 24 horas); se informa del cambio a su dirección actual.
recovery-done-email-change-requested = Se envió un enlace de confirmación a la nueva dirección. Su dirección cambiará en cuanto lo abra.
recovery-email-title = Confirme su nueva dirección de correo electrónico
# $address: the new address, in full (only its owner has the link).
recovery-email-intro = Su cuenta de Accord utilizará a partir de ahora { $address }.
recovery-email-submit = Confirmar esta dirección
recovery-done-email-changed = Su dirección de correo electrónico se cambió: utilícela en adelante para iniciar sesión.
recovery-force-reset = Restablecer la contraseña
recovery-done-password-reset-forced = La contraseña ya no funciona, todas las sesiones se cerraron y se envió a la persona un enlace de restablecimiento.
