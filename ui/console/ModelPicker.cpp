// Editable, narrow (ids and ARNs are long), and listing lazily.
#include "console/ModelPicker.h"

#include <QLineEdit>

namespace quarry::ui {

ModelPicker::ModelPicker(QWidget *parent) : QComboBox(parent)
{
    setEditable(true); // any model id may be typed, listed or not
    setInsertPolicy(QComboBox::NoInsert);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(8); // long ids must not widen the page; the popup shows them whole
}

void ModelPicker::showPopup()
{
    Q_EMIT popupAboutToShow();
    QComboBox::showPopup();
}

} // namespace quarry::ui
