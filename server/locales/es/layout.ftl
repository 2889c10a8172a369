# El diseño común a todas las páginas: navegación, cabecera, funciones.

nav-roster = Mis turnos
    .about = Sus plazas en las listas de observación de juicios y de espera.
nav-hearings = Audiencias
    .about = Los juicios próximos a los que puede asistir, por país y fecha.
nav-cases = Casos
    .about = Las personas defensoras en riesgo que su misión puede ver.
nav-coverage = Audiencias sin cobertura
    .about = Las audiencias que aún necesitan observadores.
nav-statements = Declaraciones
    .about = Declaraciones conjuntas y gestiones diplomáticas.
nav-reports = Denuncias de ataques
    .about = Las denuncias enviadas a su país.
nav-new-report = Denunciar un ataque
    .about = Cuente a las embajadas lo que ocurrió.
nav-my-reports = Mis denuncias
    .about = Lo que cada país hizo con sus denuncias.
nav-users = Usuarios
    .about = Las personas de su misión y sus accesos.
nav-coalitions = Coaliciones
    .about = Los países con los que se comparten sus casos.
nav-audit = Registro de auditoría
    .about = Quién hizo qué, y cuándo.
nav-identity = Clave de identidad
    .about = La clave de identidad de su país y las solicitudes para revelar identidades.
nav-account = Cuenta
    .about = Su contraseña y dónde tiene la sesión abierta.
nav-place-in-mission = { $role }, misión de { $country }
role-diplomat = Diplomático/a
role-coordinator = Coordinador/a
role-liaison = Enlace
role-admin = Administrador/a
role-operator = Operador/a
layout-skip = Ir al contenido
layout-main-nav = Navegación principal
layout-sign-out = Cerrar sesión
form-errors-heading = { $count ->
    [one] Corrija { $count } problema
   *[other] Corrija { $count } problemas
}
country-with-code = { $name } ({ $code })
