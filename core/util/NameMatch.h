// Header names (and other ASCII tokens) matched against a list, ignoring case.
#pragma once

#include <QByteArrayView>

#include <initializer_list>

namespace quarry::util {

// Whether `name` is one of `lowercaseNames`, ignoring ASCII case. Compared without a lower-cased
// copy, and by length first: this runs for the headers of every request and captured message, and
// most names are none of the candidates.
inline bool isOneOfIgnoringCase(QByteArrayView name, std::initializer_list<QByteArrayView> lowercaseNames)
{
    for (QByteArrayView candidate : lowercaseNames) {
        if (name.size() == candidate.size() && name.compare(candidate, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace quarry::util
