// Answering the window's "are you sure?" boxes as a user would, for the UI tests.
#pragma once

#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include <memory>

namespace quarry::test {

// Answers the next QMessageBox named `objectName` with `button`, from the event loop that its
// exec() runs; the returned flag says whether one was shown. Gives up after 5 s: nothing waits
// forever, and a box that never came leaves the flag false.
inline std::shared_ptr<bool> answerConfirmation(const QString &objectName, QMessageBox::StandardButton button)
{
    auto asked = std::make_shared<bool>(false);
    auto *poll = new QTimer(qApp);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, asked, button, objectName] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != objectName)
            return;
        *asked = true;
        poll->deleteLater();
        box->button(button)->click();
    });
    poll->start();
    QTimer::singleShot(5000, poll, &QObject::deleteLater);
    return asked;
}

} // namespace quarry::test
