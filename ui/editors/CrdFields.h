// The field names a manifest may use at a given place, read from the CRDs' OpenAPI schemas that
// ship inside the app (resources/quarry_ui.qrc). The YAML pane offers them as completions.
#pragma once

#include "config/Resources.h"

#include <QStringList>

namespace quarry::ui {

class CrdFields
{
public:
    // The properties allowed under `parent` ("spec", "rules", "[]" for a list item, ...) in a
    // manifest of `kind`; empty when the schema says nothing there (or allows anything).
    static QStringList at(config::ResourceKind kind, const QStringList &parent);
};

} // namespace quarry::ui
