# El idioma mismo, y cómo se leen en él fechas y horas.

language-name = Español
language-direction = ltr

weekday-name = { $day ->
    [1] lunes
    [2] martes
    [3] miércoles
    [4] jueves
    [5] viernes
    [6] sábado
   *[7] domingo
}
month-name = { $month ->
    [1] enero
    [2] febrero
    [3] marzo
    [4] abril
    [5] mayo
    [6] junio
    [7] julio
    [8] agosto
    [9] septiembre
    [10] octubre
    [11] noviembre
   *[12] diciembre
}
# «lunes, 1 de marzo de 2027»
date-long = { $weekday }, { $day } de { $month } de { $year }
# Reloj de 24 horas: «09:30».
time-of-day = { $hour24 }:{ $minute }
datetime-in-zone = { $date }, { $time } ({ $zone })
datetime-yours = { $sameday ->
    [yes] { $time } en su hora ({ $zone })
   *[no] { $date }, { $time } en su hora ({ $zone })
}
