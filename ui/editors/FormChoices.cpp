// Picker contents for the resource forms.
#include "editors/FormChoices.h"

using namespace Qt::StringLiterals;

namespace quarry::ui {

QStringList FormChoices::namesIn(const QStringList &keys, const QString &ns, bool crossNamespace)
{
    QStringList names;
    for (const QString &key : keys) {
        const qsizetype slash = key.indexOf(u'/');
        if (slash >= 0 && key.left(slash) == ns)
            names.append(key.mid(slash + 1));
        else if (crossNamespace)
            names.append(key);
    }
    names.sort();
    names.removeDuplicates();
    return names;
}

QStringList FormChoices::backends(const QString &ns) const
{
    QStringList keys;
    for (const auto &backend : resources.backends)
        keys.append(backend.meta.ns + u'/' + backend.meta.name);
    return namesIn(keys, ns, true);
}

QStringList FormChoices::configMaps(const QString &ns) const
{
    QStringList keys;
    for (const auto &map : resources.configMaps)
        keys.append(map.meta.ns + u'/' + map.meta.name);
    return namesIn(keys, ns, false);
}

} // namespace quarry::ui
