// Help → About Quarry: the version from CMake's project(VERSION), Quarry's licence and the
// third-party notices (THIRD_PARTY_NOTICES.md, compiled into the resources).
#pragma once

#include <QDialog>

class QLabel;
class QTextBrowser;

namespace quarry::ui {

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    QLabel *heading() const { return m_heading; }
    QTextBrowser *notices() const { return m_notices; }

private:
    QLabel *m_heading = nullptr;
    QTextBrowser *m_notices = nullptr;
};

} // namespace quarry::ui
