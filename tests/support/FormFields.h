// Finding and typing into form fields the way a user or assistive technology does, for the editor
// tests.
#pragma once

#include <QLineEdit>
#include <QTest>
#include <QWidget>

namespace quarry::test {

// A field found by its accessible name; a missing one ends the test run with its name.
template<typename T>
T *field(QWidget *form, const QString &name)
{
    for (T *candidate : form->findChildren<T *>()) {
        if (candidate->accessibleName() == name)
            return candidate;
    }
    qFatal("no field named %s", qPrintable(name));
}

// Replaces a line edit's text with keystrokes, as typing does (editing signals included).
inline void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace quarry::test
