# The language itself, and how dates and times read in it.

language-name = English
# ltr or rtl: the direction pages are written in.
language-direction = ltr

weekday-name = { $day ->
    [1] Monday
    [2] Tuesday
    [3] Wednesday
    [4] Thursday
    [5] Friday
    [6] Saturday
   *[7] Sunday
}
month-name = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
# "Monday 1 March 2027"
date-long = { $weekday } { $day } { $month } { $year }
# 12-hour clock: "9:30 AM".
time-of-day = { $hour12 }:{ $minute } { $half ->
    [am] AM
   *[pm] PM
}
# "Monday 1 March 2027, 9:30 AM (Asia/Manila)"
datetime-in-zone = { $date }, { $time } ({ $zone })
# Beside the court's time when the reader's clock differs.
datetime-yours = { $sameday ->
    [yes] { $time } your time ({ $zone })
   *[no] { $date }, { $time } your time ({ $zone })
}
