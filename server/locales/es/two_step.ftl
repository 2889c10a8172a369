## Inicio de sesión en dos pasos: el segundo paso, el alta de una aplicación
## de autenticación, los códigos de recuperación y la regla de una misión.

two-step-title = Inicio de sesión en dos pasos
two-step-manage = Gestionar el inicio de sesión en dos pasos
two-step-summary-on = { $count ->
    [one] El inicio de sesión en dos pasos está activado, con una aplicación de autenticación. Queda { $count } código de recuperación.
   *[other] El inicio de sesión en dos pasos está activado, con una aplicación de autenticación. Quedan { $count } códigos de recuperación.
}
two-step-summary-off = El inicio de sesión en dos pasos está desactivado: basta la contraseña para iniciar sesión.
two-step-summary-required = El inicio de sesión en dos pasos es obligatorio para su cuenta.
two-step-required-intro = Su misión o la plataforma exige el inicio de sesión en dos pasos. Configure una aplicación de autenticación para terminar de iniciar sesión.
two-step-begin-submit = Configurar una aplicación de autenticación
two-step-scan-title = Añada Accord a su aplicación de autenticación
two-step-scan-intro = Escanee este código QR con su aplicación de autenticación y escriba el código de seis cifras que muestra.
two-step-qr-label = Código QR con el secreto para su aplicación de autenticación
two-step-secret-intro = Si no puede escanearlo, escriba este secreto en la aplicación:
two-step-code = Código de seis cifras de su aplicación de autenticación
two-step-confirm-submit = Activar el inicio de sesión en dos pasos
two-step-codes-title = Códigos de recuperación
two-step-codes-submit = Crear nuevos códigos de recuperación
two-step-codes-hint = Sus códigos de recuperación anteriores dejarán de funcionar.
two-step-remove-title = Desactivar el inicio de sesión en dos pasos
two-step-remove-submit = Desactivar el inicio de sesión en dos pasos
two-step-back = Volver a su cuenta
two-step-codes-shown-title = Sus códigos de recuperación
two-step-codes-write = Anote estos códigos y guárdelos en un lugar seguro.
two-step-codes-once = Cada uno sirve una sola vez, si pierde su aplicación de autenticación. Solo se muestran esta vez.
two-step-continue = Continuar
two-step-sign-in-title = Segundo paso para iniciar sesión
two-step-code-intro = Abra su aplicación de autenticación y escriba el código de seis cifras que muestra para Accord.
two-step-recovery-intro = Escriba uno de los códigos de recuperación que anotó. Cada uno sirve una sola vez.
two-step-recovery-code = Código de recuperación
two-step-verify = Continuar
two-step-use-recovery = Usar un código de recuperación
two-step-use-app = Usar un código de su aplicación de autenticación
two-step-start-again = Volver a empezar
two-step-done-off = El inicio de sesión en dos pasos está desactivado.
two-step-done-mission-set = Se guardó la regla de inicio de sesión en dos pasos de la misión.
two-step-admin-title = Inicio de sesión en dos pasos para la misión
two-step-admin-legend = ¿Deben todas las personas de su misión iniciar sesión en dos pasos?
two-step-admin-on = Obligatorio: un código de una aplicación de autenticación después de la contraseña
two-step-admin-off = Cada persona decide
two-step-admin-hint = Quienes no tengan una aplicación de autenticación la configurarán en su próximo inicio de sesión.
two-step-admin-submit = Guardar la regla
