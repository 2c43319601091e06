// The window's "are you sure?": a question with Yes and Cancel, Cancel the default, so that Enter
// or a slipped click never deletes anything. Named, so tests answer it as a user would
// (tests/support/Confirmations.h).
#pragma once

#include <QString>

class QWidget;

namespace quarry::ui {

// True when the user chose Yes. `detail` (optional) is the box's informative text.
bool confirm(QWidget *parent, const QString &objectName, const QString &title, const QString &question,
             const QString &detail = {});

} // namespace quarry::ui
