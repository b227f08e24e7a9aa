import DropoutNet
