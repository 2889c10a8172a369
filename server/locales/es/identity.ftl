# La página de la clave de identidad del país, la página que muestra una sola
# vez una nueva clave de recuperación, y las solicitudes de revelación.

## Confirmaciones tras un cambio

identity-done-key-recovered = La clave de recuperación abrió la clave de su país: vuelve a tenerla.
identity-done-access-granted = Esa persona ya tiene la clave de identidad de su país.
identity-done-access-revoked = Se eliminaron las copias de la clave de identidad de su país que tenía esa persona.
identity-done-identities-resealed = Las identidades se trasladaron a la clave actual.

## El estado de la clave

identity-title = Clave de identidad
identity-heading = La clave de identidad de su país
identity-intro = Las identidades de las personas defensoras se sellan con la clave de su país. Solo las personas que la tienen pueden abrirlas, y únicamente en una sesión iniciada con su contraseña.
identity-country = País
identity-key = Clave
identity-key-ready = Lista
# $when: la fecha y hora en que se creó la clave.
identity-key-ready-made = Lista, creada el { $when }
identity-key-claimable = Pendiente de reclamar con el código de reclamación que entrega el operador/a
identity-key-none = Ninguna por ahora: no se pueden registrar ni abrir identidades
identity-you = Usted
# Lo que la persona con sesión iniciada puede hacer con la clave (el término es «Usted»).
identity-you-unlocked = Tiene la clave; esta sesión puede abrir identidades
identity-you-locked = Tiene la clave; vuelva a iniciar sesión con su contraseña para desbloquearla en esta sesión
identity-you-grantable = No tiene la clave; una persona administradora puede concedérsela
identity-you-not-holder = No tiene la clave
identity-pending-term = Pendientes de volver a sellar
identity-pending = { $count ->
    [one] { $count } identidad sigue sellada con una clave retirada
   *[other] { $count } identidades siguen selladas con una clave retirada
}

## Quién tiene la clave

identity-holders = Quién tiene la clave
identity-holders-none = Nadie.
identity-holder-you = { $name } (usted)
# El botón muestra «Revocar»; `.hidden` lo sigue para los lectores de pantalla.
identity-revoke = Revocar
    .hidden = la copia de { $name }
identity-grant-title = Conceder la clave
identity-grant-member = Miembro de su misión
identity-grant-choose = Elija un miembro
# Un miembro de la lista: nombre y rol.
identity-grant-choice = { $name } ({ $role })
identity-grant-submit = Conceder
identity-grant-hint = Para conceder la clave necesita su propia copia, desbloqueada en esta sesión. Una persona que nunca ha iniciado sesión aún no tiene una clave para recibirla.
identity-reseal-title = Volver a sellar las identidades
identity-reseal-about = Las identidades pasan a la clave actual a medida que se abren; volver a sellar traslada ahora hasta 500 más.
identity-reseal-submit = Volver a sellar ahora

## Solicitudes de revelación de identidad

identity-requests = Solicitudes de revelación de identidad
identity-waiting-title = Pendientes de la decisión de su país
identity-waiting-none = No hay ninguna solicitud pendiente.
# El enlace al caso.
identity-case-link = Caso { $reference }
# $case: el enlace al caso; $country: el país que la pide; $date: cuándo.
identity-waiting-row = { $case }: { $country } la solicitó el { $date }.
identity-asked-title = Las solicitudes de su país
identity-asked-none = Su país no ha solicitado ninguna identidad.
# $case: el enlace al caso; $state: en qué punto está la solicitud.
identity-asked-row = { $case }, solicitada el { $date }: { $state }
identity-asked-row-open = { $case }, solicitada el { $date }: { $state } (abierta hasta el { $until })

## Configurar, renovar y recuperar la clave (administración)

# Se muestra antes de configurar y de renovar la clave: debe ser exacto.
identity-loss-warning = Si todas las personas que tienen la clave olvidan su contraseña y se pierde la clave de recuperación, todas las identidades de su país se pierden para siempre; nadie, ni siquiera el operador/a de Accord, podrá abrirlas.
identity-setup-title = Configurar la clave
identity-setup-about = Recibe la clave ahora, junto con una clave de recuperación que se muestra una sola vez: anótela y guárdela separada de todas las contraseñas.
identity-setup-acknowledge = Entiendo: si se pierden las contraseñas de todas las personas que tienen la clave y también la clave de recuperación, las identidades se pierden para siempre
identity-claim-code = Código de reclamación
identity-claim-code-hint = (solo si el operador/a le dio uno)
identity-setup-submit = Configurar la clave
identity-rotate-title = Renovar la clave
identity-rotate-about = Una nueva clave reemplaza a esta: cada persona que la tiene la recibe, se muestra una sola vez una nueva clave de recuperación y la anterior deja de funcionar cuando las identidades se han trasladado.
identity-rotate-acknowledge = Entiendo: si se pierden las contraseñas de todas las personas que tienen la clave y también la nueva clave de recuperación, las identidades se pierden para siempre
identity-rotate-submit = Renovar la clave
identity-recover-title = Recuperar con la clave de recuperación
identity-recover-about = Cuando ninguna persona que la tiene puede ya abrir la clave, la clave de recuperación se la devuelve.
identity-recovery-key = Clave de recuperación
identity-recover-submit = Recuperar la clave

## Errores de formulario: las etiquetas con que se muestran, y la casilla sin marcar

identity-tick-the-box = Marque la casilla para confirmar que entiende el riesgo de pérdida
identity-field-risk = Riesgo de pérdida
identity-field-reseal = Volver a sellar
identity-field-member = Miembro
identity-field-holders = Personas que tienen la clave

## La página que muestra una nueva clave de recuperación, una sola vez

identity-new-key-title = Clave de recuperación
identity-new-key-ready = La clave de identidad de su país está lista
identity-new-key-replaced = La clave de identidad de su país se reemplazó
identity-new-key-yours = Su clave de recuperación
identity-new-key-write = Anótela ahora, en papel, y guárdela separada de todas las contraseñas.
identity-new-key-once = Solo se muestra esta vez: Accord no la guarda y nadie, ni siquiera el operador/a, puede volver a mostrarla. Con ella, una persona administradora recupera la clave cuando todas las personas que la tienen han perdido la suya.
# «Volver a sellar ahora» es el botón de la página de la clave de identidad (identity-reseal-submit).
identity-new-key-pending = { $count ->
    [one] { $count } identidad sigue sellada con la clave anterior; pasa a la nueva cuando se abre, o con «Volver a sellar ahora» en la página de la clave de identidad.
   *[other] { $count } identidades siguen selladas con la clave anterior; pasan a la nueva cuando se abren, o con «Volver a sellar ahora» en la página de la clave de identidad.
}
identity-new-key-all-sealed = Todas las identidades están selladas con la clave actual.
identity-new-key-back = La he anotado: volver a la página de la clave de identidad
