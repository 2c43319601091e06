// How an amount of US dollars is written everywhere (log, window, tray, errors): "—" when unpriced.
#pragma once

#include <QString>

namespace quarry::telemetry {

// "$0.000123", "$1.5", "$12.34": up to six decimals (one request often costs a fraction of a cent),
// trailing zeros dropped; "—" for a negative amount (unpriced).
inline QString usdText(double usd)
{
    if (usd < 0)
        return QStringLiteral("\u2014");
    QString digits = QString::number(usd, 'f', usd >= 1 ? 2 : 6);
    if (usd < 1) {
        while (digits.endsWith(u'0'))
            digits.chop(1);
        if (digits.endsWith(u'.'))
            digits.chop(1);
    }
    return u'$' + digits;
}

} // namespace quarry::telemetry
