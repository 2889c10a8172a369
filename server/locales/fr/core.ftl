# La langue elle-même, et la façon d'y lire dates et heures.

language-name = Français
language-direction = ltr

weekday-name = { $day ->
    [1] lundi
    [2] mardi
    [3] mercredi
    [4] jeudi
    [5] vendredi
    [6] samedi
   *[7] dimanche
}
month-name = { $month ->
    [1] janvier
    [2] février
    [3] mars
    [4] avril
    [5] mai
    [6] juin
    [7] juillet
    [8] août
    [9] septembre
    [10] octobre
    [11] novembre
   *[12] décembre
}
# « lundi 1er mars 2027 »
date-long = { $weekday } { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
# Horloge de 24 heures : « 09:30 ».
time-of-day = { $hour24 }:{ $minute }
datetime-in-zone = { $date }, { $time } ({ $zone })
datetime-yours = { $sameday ->
    [yes] { $time } chez vous ({ $zone })
   *[no] { $date }, { $time } chez vous ({ $zone })
}
