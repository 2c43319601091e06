// The window's "are you sure?" box.
#include "Confirm.h"

#include <QMessageBox>

namespace quarry::ui {

bool confirm(QWidget *parent, const QString &objectName, const QString &title, const QString &question,
             const QString &detail)
{
    QMessageBox ask(QMessageBox::Question, title, question, QMessageBox::Yes | QMessageBox::Cancel, parent);
    ask.setObjectName(objectName);
    ask.setInformativeText(detail);
    ask.setDefaultButton(QMessageBox::Cancel);
    return ask.exec() == QMessageBox::Yes;
}

} // namespace quarry::ui
